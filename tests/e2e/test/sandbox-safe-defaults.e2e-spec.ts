import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ServiceProcess } from '@pardot-x3/testing';

const RUN = randomBytes(3).toString('hex');
const PORT = String(24_300 + (randomBytes(1)[0] ?? 0));

describe('a sandbox listening beyond loopback', () => {
  it('refuses to start with the public default admin token, naming SANDBOX_ADMIN_TOKEN and HOST', async () => {
    const sandbox = new ServiceProcess({
      app: 'sandbox-x3',
      logName: `sandbox-x3-public-token-${RUN}.log`,
      env: { PORT, HOST: '0.0.0.0' },
    });
    await expect(sandbox.start()).rejects.toThrow(/sandbox-x3 exited \(code 78\)/);
    const log = readFileSync(sandbox.logFile, 'utf8');
    expect(log).not.toContain('sandbox-admin-token'); // the refusal names the setting, never the value
    expect(log).toMatch(
      /SANDBOX_ADMIN_TOKEN is the public default .* while HOST=0\.0\.0\.0 is not a loopback interface/,
    );
  });

  it('starts with an admin token of its own, and on loopback with the default', async () => {
    const environments: Record<string, string>[] = [
      { PORT, HOST: '0.0.0.0', SANDBOX_ADMIN_TOKEN: `own-admin-token-${RUN}` },
      { PORT, HOST: '127.0.0.1' },
      { PORT },
    ];
    for (const env of environments) {
      const sandbox = new ServiceProcess({ app: 'sandbox-x3', logName: `sandbox-x3-safe-${RUN}.log`, env });
      await sandbox.start();
      await sandbox.stop();
      expect(sandbox.exitCode).toBe(0);
    }
  });
});
