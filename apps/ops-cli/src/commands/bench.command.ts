import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { LocalStack } from '@pardot-x3/local-stack';
import { E2E_PROFILES, runE2eBench, stopE2ePipeline, type E2eOptions } from '../bench/e2e-bench.js';
import { runMemoryBench, stopMemoryBench } from '../bench/memory-bench.js';

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
  const bench = new Command('bench')
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
  bench.addCommand(e2eCommand());
  bench.addCommand(memoryCommand());
  return bench;
}

const whole =
  (name: string) =>
  (raw: string): number => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be a whole number ≥ 1, got "${raw}"`);
    return value;
  };

/**
 * `./pardot-x3 bench e2e`: the whole pipeline side by side with a raw Kafka pass-through on the same
 * broker in the same run (docs/performance.md). Options left out take the profile's value.
 */
function e2eCommand(): Command {
  const e2e = new Command('e2e')
    .description(
      'the whole pipeline beside a raw Kafka pass-through on the same broker, in one run: burst throughput, latency at a ' +
        'steady load, writes per update, Salesforce calls, Pardot budget use, webhook accepts/s, RSS and CPU per service; ' +
        'one table, reports/bench/e2e-latest.json and docs/performance/e2e-latest.svg (docs/performance.md)',
    )
    .option(
      '--quick',
      'the quick profile: smaller numbers, about 4 minutes on a busy 2-core machine (default profile: about 10)',
    )
    .option(
      '--changes <n>',
      'distinct X3 customer changes in the burst (and messages of the baseline)',
      whole('--changes'),
    )
    .option('--rate <n>', 'offered changes per second of the steady load', whole('--rate'))
    .option('--duration <s>', 'seconds of the steady load', whole('--duration'))
    .option('--update-entities <n>', 'customers updated in bursts of 5', whole('--update-entities'))
    .option(
      '--spread-entities <n>',
      'customers updated 3 times, a coalescing window apart',
      whole('--spread-entities'),
    )
    .option('--webhooks <n>', 'signed notifications sent to x3-ingest', whole('--webhooks'))
    .option(
      '--coalescing-ms <ms>',
      "pardot-writer's coalescing window (CUSTOMER_WRITE_COALESCING_MS)",
      whole('--coalescing-ms'),
    )
    .option(
      '--cpu-prof <services>',
      'start these services (comma-separated) with node --cpu-prof and summarise where their CPU time went',
      (raw: string) =>
        raw
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== ''),
    )
    .option('--no-build', 'start what the dist folders hold, without building')
    .option('--keep', 'leave the pipeline running afterwards (stop it with: bench e2e down)')
    .action(async (flags: Partial<E2eOptions> & { quick?: boolean; build: boolean; keep?: boolean }) => {
      const profile = E2E_PROFILES[flags.quick ? 'quick' : 'default'];
      const defined = Object.fromEntries(
        Object.entries(flags).filter(([k, v]) => v !== undefined && k !== 'quick'),
      );
      await runE2eBench({
        ...profile,
        ...defined,
        build: flags.build,
        keep: flags.keep ?? false,
        cpuProf: flags.cpuProf ?? [],
      });
    });
  e2e
    .command('down')
    .description('stop a pipeline `bench e2e --keep` left running, drop its topics and database')
    .action(async () => {
      await stopE2ePipeline();
    });
  return e2e;
}

/**
 * `./pardot-x3 bench memory`: RSS of each service idle and under a burst of X3 customer changes, on ports
 * of its own (24101–24170), written to reports/bench/memory-<time>.json (issue 12, docs/decisions/0132).
 */
function memoryCommand(): Command {
  const memory = new Command('memory')
    .description(
      'RSS of each of the six services idle and under a burst of X3 customer changes (own namespace, database and ' +
        'ports 24101–24170), with the options they run with everywhere; reports/bench/memory-<time>.json',
    )
    .option('--changes <n>', 'distinct X3 customer changes of the load phase', whole('--changes'), 3_000)
    .option(
      '--idle-seconds <s>',
      'seconds left alone after start before the idle figure',
      whole('--idle-seconds'),
      60,
    )
    .option('--node-options <text>', "appended to the services' NODE_OPTIONS (to try a V8 flag)", '')
    .option('--no-build', 'start what the dist folders hold, without building')
    .action(async (flags: { changes: number; idleSeconds: number; nodeOptions: string; build: boolean }) => {
      await runMemoryBench(flags);
    });
  memory
    .command('down')
    .description('stop what an interrupted `bench memory` left running, drop its topics and database')
    .action(async () => {
      await stopMemoryBench();
    });
  return memory;
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
