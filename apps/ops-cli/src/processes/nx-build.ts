import { spawn } from 'node:child_process';
import { loadStackConfig } from '@pardot-x3/local-stack';

/**
 * Builds projects through Nx (cached), so what is started is what the sources say. Quiet when it
 * works; prints Nx's output when it fails.
 */
export async function buildProjects(projects: readonly string[], log: (line: string) => void): Promise<void> {
  log(`building ${projects.join(', ')} (cached by Nx)`);
  const output: Buffer[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(
      'npx',
      ['nx', 'run-many', '-t', 'build', '-p', projects.join(','), '--outputStyle=static'],
      {
        cwd: loadStackConfig().rootDir,
        env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout.on('data', (chunk: Buffer) => output.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => output.push(chunk));
    child.once('error', reject);
    child.once('close', (c, signal) => resolve(c ?? (signal ? 1 : 0)));
  });
  if (code !== 0) {
    process.stderr.write(Buffer.concat(output));
    throw new Error(`building ${projects.join(', ')} failed (exit code ${code})`);
  }
}
