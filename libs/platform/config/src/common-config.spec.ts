import { describe, expect, it } from 'vitest';
import { describeConfig, loadConfig } from './config-loader.js';
import { httpServerConfigSchema, httpServerConfigSchemaWithPort } from './common-config.js';

describe('httpServerConfigSchemaWithPort', () => {
  const schema = httpServerConfigSchemaWithPort(3004);

  it("uses the service's default port unless PORT is set", () => {
    expect(loadConfig('mdm', schema, {}).PORT).toBe(3004);
    expect(loadConfig('mdm', schema, { PORT: '16004' }).PORT).toBe(16004);
  });

  it('keeps the description of PORT for the documentation table', () => {
    expect(describeConfig(schema).find((v) => v.name === 'PORT')).toEqual({
      name: 'PORT',
      description: 'HTTP port for /health, /metrics and the service routes',
      default: '3004',
    });
  });

  it('still rejects a port out of range, naming the variable', () => {
    expect(() => loadConfig('mdm', schema, { PORT: '70000' })).toThrow(/PORT/);
  });

  it('carries the runtime settings with their defaults, binding loopback only unless HOST says otherwise', () => {
    const config = loadConfig('mdm', schema, {});
    expect(config).toMatchObject({
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      SHUTDOWN_GRACE_MS: 25_000,
      READINESS_CHECK_TIMEOUT_MS: 2_000,
    });
    expect(config.PX3_VERSION).toBeUndefined();
    expect(loadConfig('mdm', schema, { HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });
});

describe('httpServerConfigSchema', () => {
  it('requires PORT when no default port is given', () => {
    expect(() => loadConfig('sandbox', httpServerConfigSchema, {})).toThrow(/PORT is required but not set/);
  });
});

describe('number variables', () => {
  it('say what they expect instead of how parsing failed', () => {
    const schema = httpServerConfigSchemaWithPort(3004);
    expect(() => loadConfig('mdm', schema, { PORT: 'eighty' })).toThrow(
      /PORT must be a whole number from 1 to 65535/,
    );
    expect(() => loadConfig('mdm', schema, { SHUTDOWN_GRACE_MS: '2.5' })).toThrow(
      /SHUTDOWN_GRACE_MS must be a whole number of milliseconds from 0 to 600000/,
    );
  });
});
