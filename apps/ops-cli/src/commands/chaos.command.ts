import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import { runInherit, withoutKafkaJsTimeoutWarning } from './test.command.js';

const SCENARIOS = [
  'service-kills',
  'broker-kill',
  'postgres-restart',
  'registry-restart',
  'sandbox-faults',
  'lost-answers',
];
const log = (line: string): void => console.error(`[chaos] ${line}`);

interface ChaosReportFile {
  readonly phases: readonly {
    readonly stale: number;
    readonly missing: number;
    readonly duplicated: number;
    readonly transientDeadLetters: number;
  }[];
}

/**
 * `./pardot-x3 chaos`: the chaos suite (tests/chaos, docs/chaos.md) — the pipeline under load while its
 * processes, the broker, PostgreSQL and the registry fail and the SaaS stand-ins answer with errors.
 * Runs the same vitest spec as `./pardot-x3 test` (short profile there), with the profile chosen here;
 * the suite starts a Kafka, registry and PostgreSQL of its own, so the faults hit nothing else.
 */
export function chaosCommand(): Command {
  return new Command('chaos')
    .description(
      'run the chaos suite: load through every service (writers as two replicas) while processes are SIGKILLed, ' +
        'the broker is killed, PostgreSQL and the registry restart and the sandboxes inject SaaS faults; checks ' +
        'every target from the sandboxes; prints a summary table and writes reports/chaos/latest.json',
    )
    .addOption(
      new Option('--profile <name>', 'short (a few minutes, as in CI) or long (≥ 20,000 changes, all faults)')
        .choices(['short', 'long'])
        .default('short'),
    )
    .option(
      '--scenarios <list>',
      `one phase with only these faults (comma-separated: ${SCENARIOS.join(', ')}; "none" for a run without faults)`,
    )
    .option('--keep-stack', "leave the suite's own stack folder (.stack-chaos) for inspection")
    .action(async (options: { profile: string; scenarios?: string; keepStack?: boolean }) => {
      if (options.scenarios && options.scenarios !== 'none') {
        const unknown = options.scenarios.split(',').filter((s) => !SCENARIOS.includes(s.trim()));
        if (unknown.length > 0) {
          log(`unknown scenario ${unknown.join(', ')}; known: ${SCENARIOS.join(', ')}`);
          process.exitCode = 2;
          return;
        }
      }
      const root = findRepositoryRoot();
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        PX3_CHAOS_PROFILE: options.profile,
        ...(options.scenarios ? { PX3_CHAOS_SCENARIOS: options.scenarios } : {}),
        ...(options.keepStack ? { PX3_CHAOS_KEEP_STACK: '1' } : {}),
        NODE_OPTIONS: withoutKafkaJsTimeoutWarning(process.env['NODE_OPTIONS']),
      };
      log(`profile ${options.profile}${options.scenarios ? `, scenarios ${options.scenarios}` : ''}`);
      const code = await runInherit('npx', ['vitest', 'run', '--project', 'chaos#e2e'], root, env);
      const report = join(root, 'reports', 'chaos', 'latest.json');
      if (existsSync(report)) {
        const { phases } = JSON.parse(readFileSync(report, 'utf8')) as ChaosReportFile;
        const open = phases.reduce(
          (n, p) => n + p.stale + p.missing + p.duplicated + p.transientDeadLetters,
          0,
        );
        log(`report: ${report} (${open === 0 ? 'every check passed' : `${open} open problem(s)`})`);
      }
      process.exitCode = code === 0 ? 0 : 1;
    });
}
