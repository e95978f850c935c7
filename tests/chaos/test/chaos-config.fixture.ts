import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepositoryRoot } from '@pardot-x3/local-stack';

/**
 * A copy of config/ whose inventory policy publishes within seconds instead of minutes (the shipped
 * policy holds small changes up to 15 minutes): the suite checks that the newest stock arrives, and
 * cannot wait that long. The thresholds are the shipped ones; only the intervals shrink.
 */
export function quickStockPolicyConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'px3-chaos-config-'));
  cpSync(join(findRepositoryRoot(), 'config'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'inventory.yaml'),
    [
      'version: 1',
      'available:',
      '  subtract: [PHYALL, GLOALL]',
      'publication:',
      '  absoluteThreshold: 5',
      '  relativeThreshold: 0.1',
      '  lowStockMark: 10',
      '  minInterval: 2s',
      '  maxStaleness: 5s',
      '',
    ].join('\n'),
  );
  return dir;
}
