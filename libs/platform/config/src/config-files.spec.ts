import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { configDirectoryConfigSchema, readConfigFile } from './config-files.js';

describe('configuration files', () => {
  it('defaults to the config folder of the working directory', () => {
    expect(configDirectoryConfigSchema.parse({})).toEqual({ PX3_CONFIG_DIR: 'config' });
  });

  it('reads a file of the folder and names it as the user does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'px3-config-'));
    writeFileSync(join(dir, 'inventory.yaml'), 'version: 1\n');
    expect(readConfigFile({ PX3_CONFIG_DIR: dir }, 'inventory.yaml')).toEqual({
      text: 'version: 1\n',
      fileName: join(dir, 'inventory.yaml'),
    });
  });

  it('refuses a missing file with its full path', () => {
    expect(() => readConfigFile({ PX3_CONFIG_DIR: '/nonexistent-px3' }, 'inventory.yaml')).toThrow(
      /cannot read the configuration file \/nonexistent-px3\/inventory.yaml \(PX3_CONFIG_DIR=\/nonexistent-px3\)/,
    );
  });
});
