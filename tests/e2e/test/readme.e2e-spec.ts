import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRepositoryRoot } from '@pardot-x3/local-stack';

/** The README stays true: its two opening commands, its configuration table, the commands it lists. */
const ROOT = findRepositoryRoot();
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function ops(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(ROOT, 'apps', 'ops-cli', 'dist', 'main.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('README.md', () => {
  it('opens with exactly two commands: the demo and the tests', () => {
    const firstBlock = /^# pardot-x3\n\n```bash\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
    const commands = firstBlock
      .split('\n')
      .filter(Boolean)
      .map((line) => line.replace(/\s+#.*$/, ''));
    expect(commands).toEqual(['./pardot-x3 demo', './pardot-x3 test']);
  });

  it('holds the configuration table the services validate at boot', () => {
    const result = ops(['config', 'docs', '--check', '--no-build']);
    expect(result.status, result.stderr).toBe(0);
  });

  it('lists only commands the CLI has', () => {
    const listed = [...README.matchAll(/`\.\/pardot-x3 ([a-z]+)(?: ([a-z0-9-]+))?/g)].map(
      (m) => [m[1] ?? '', m[2]] as const,
    );
    expect(listed.length).toBeGreaterThan(10);
    for (const [command, sub] of listed) {
      const help = ops([command, '--help']);
      expect(help.status, `./pardot-x3 ${command}: ${help.stderr}`).toBe(0);
      if (
        sub &&
        !['--', 'up', 'down', 'status', 'logs', 'env'].includes(sub) &&
        help.stdout.includes('Commands:')
      ) {
        expect(help.stdout, `./pardot-x3 ${command} ${sub}`).toMatch(new RegExp(`\\n  ${sub}\\b`));
      }
    }
  });
});
