import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { LocalStack } from '@pardot-x3/local-stack';

const log = (line: string): void => console.error(`[bench] ${line}`);

interface Measurement {
  readonly project: string;
  readonly [key: string]: unknown;
}

/**
 * `npm run bench` / `./pardot-x3 bench`: runs the `bench` target of every project that has one
 * against the real local stack (started here when needed), collects the JSON line each benchmark
 * prints per measurement (an object with a `measure` name; log lines are not measurements), prints
 * them and writes them to reports/bench/. Numbers, not assertions.
 */
export function benchCommand(): Command {
  return new Command('bench')
    .description('run every benchmark on the real stack; numbers printed and written to reports/bench/')
    .argument('[projects...]', 'only these projects (default: every project with a bench target)')
    .option('--keep-stack', 'leave the local stack running afterwards')
    .action(async (projects: string[], options: { keepStack?: boolean }) => {
      const stack = new LocalStack();
      const root = stack.config.rootDir;
      const chosen = projects.length > 0 ? projects : await projectsWithBench(root);
      if (chosen.length === 0) throw new Error('no project has a bench target');
      const startedHere = !stack.isRunning();
      const env = { ...process.env, ...(await stack.up(log)) };
      const measurements: Measurement[] = [];
      const failures: string[] = [];
      try {
        for (const project of chosen) {
          log(`${project}: running`);
          const { code, lines } = await runCollecting(
            'npx',
            ['nx', 'run', `${project}:bench`, '--outputStyle=static', '--skip-nx-cache'],
            root,
            env,
          );
          for (const line of lines) measurements.push({ project, ...line });
          if (code !== 0) failures.push(`${project} (exit code ${code})`);
        }
      } finally {
        if (startedHere && !options.keepStack) await stack.down();
      }
      const dir = join(root, 'reports', 'bench');
      mkdirSync(dir, { recursive: true });
      const report = {
        at: new Date().toISOString(),
        machine: {
          cpus: (await import('node:os')).cpus().length,
          node: process.version,
          platform: `${process.platform}-${process.arch}`,
        },
        measurements,
      };
      const file = join(dir, `bench-${report.at.replace(/[:.]/g, '-')}.json`);
      writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
      writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
      console.table(measurements);
      console.log(`${measurements.length} measurement(s) written to ${file}`);
      if (failures.length > 0) {
        console.error(`benchmarks that failed: ${failures.join(', ')}`);
        process.exitCode = 1;
      }
    });
}

async function projectsWithBench(root: string): Promise<string[]> {
  const { lines, raw } = await runCollecting(
    'npx',
    ['nx', 'show', 'projects', '--with-target', 'bench'],
    root,
    process.env,
  );
  void lines;
  return raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[a-z0-9-]+$/.test(l));
}

/** Runs a command, echoing its output, and keeps every stdout line that is a JSON object. */
function runCollecting(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; lines: Record<string, unknown>[]; raw: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'inherit'] });
    let raw = '';
    child.stdout.on('data', (chunk: Buffer) => {
      raw += chunk.toString();
    });
    child.once('error', reject);
    child.once('close', (code) => {
      const lines = raw
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            const value = JSON.parse(l) as Record<string, unknown>;
            return typeof value['measure'] === 'string' ? [value] : [];
          } catch {
            return [];
          }
        });
      resolve({ code: code ?? 1, lines, raw });
    });
  });
}
