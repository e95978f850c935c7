import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Builds the libraries and compiles test/fixtures/exactly-once-consumer.ts: it runs as plain JavaScript
 * in its own process (so it can be killed, or exit by itself). Returns the script's path.
 */
export async function buildConsumerFixture(): Promise<string> {
  const root = join(import.meta.dirname, '..', '..', '..', '..', '..');
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
  await run('npx', ['nx', 'run', 'messaging:build', '--outputStyle=static'], {
    cwd: root,
    env,
    maxBuffer: 16 * 1024 * 1024,
  });
  const project = join(root, 'libs', 'platform', 'messaging');
  await run(
    'npx',
    [
      'swc',
      'test/fixtures',
      '-d',
      'dist/test-fixtures',
      '--strip-leading-paths',
      '--config-file',
      join(root, '.swcrc'),
      '--quiet',
    ],
    { cwd: project, env },
  );
  return join(project, 'dist', 'test-fixtures', 'fixtures', 'exactly-once-consumer.js');
}
