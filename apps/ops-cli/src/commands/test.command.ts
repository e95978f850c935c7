import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { LocalStack, redactUrl } from '@pardot-x3/local-stack';

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  numFailedTestSuites: number;
  success: boolean;
}

interface Totals {
  passed: number;
  failed: number;
  skipped: number;
}

const log = (line: string): void => console.error(`[test] ${line}`);

export function testCommand(): Command {
  return new Command('test')
    .description(
      'run every test suite against a real Kafka, schema registry and PostgreSQL (started here when not given by ' +
        'KAFKA_BROKERS / SCHEMA_REGISTRY_URL / DATABASE_URL, stopped afterwards); ends with "N passed, N failed"',
    )
    .option(
      '--static-checks',
      'also run type checks, lint, the Prettier check and the dependency checks, each counted as one test',
    )
    .option('--keep-stack', 'leave the local stack running afterwards')
    .argument('[filters...]', 'vitest project names or file filters, e.g. --project mdm')
    .allowUnknownOption(true)
    .action(async (filters: string[], options: { staticChecks?: boolean; keepStack?: boolean }) => {
      const totals: Totals = { passed: 0, failed: 0, skipped: 0 };
      const root = new LocalStack().config.rootDir;

      if (options.staticChecks) {
        const checks: [string, string, string[]][] = [
          ['typecheck', 'npx', ['nx', 'run-many', '-t', 'typecheck', '--outputStyle=static']],
          ['lint', 'npx', ['nx', 'run-many', '-t', 'lint', '--outputStyle=static']],
          ['format', 'npx', ['prettier', '--check', '.']],
          // This CLI's `deps check`: lock file sources and integrity, npm ls --all, licences (docs/security.md).
          [
            'dependencies',
            process.execPath,
            [process.argv[1] ?? 'apps/ops-cli/dist/main.js', 'deps', 'check'],
          ],
        ];
        for (const [name, command, args] of checks) {
          const ok = (await runInherit(command, args, root)) === 0;
          log(`${name}: ${ok ? 'passed' : 'FAILED'}`);
          totals[ok ? 'passed' : 'failed'] += 1;
        }
      }

      const stack = new LocalStack();
      // PX3_TESTCONTAINERS=1: the test runner's global setup starts the infrastructure as containers.
      const inContainers = process.env['PX3_TESTCONTAINERS'] === '1';
      const startedHere = !inContainers && !stack.isRunning();
      let env: Record<string, string> = {};
      try {
        if (inContainers) log('PX3_TESTCONTAINERS=1: Kafka, the registry and PostgreSQL run as containers');
        else {
          if (startedHere) log('starting the local stack (Kafka, schema registry, PostgreSQL)');
          env = { ...(await stack.up((line) => log(line))) };
        }
      } catch (error) {
        log(`the local stack did not start: ${(error as Error).message}`);
        totals.failed += 1;
        printTotals(totals);
        process.exitCode = 1;
        return;
      }
      if (!inContainers)
        log(
          `using ${Object.entries(env)
            .map(([k, v]) => `${k}=${k === 'DATABASE_URL' ? redactUrl(v) : v}`)
            .join(' ')}`,
        );

      // The logs of this run only: the log scan after the e2e tests (tests/e2e/test/log-scan) reads them all.
      for (const dir of ['e2e-logs', 'test-processes'])
        rmSync(join(root, 'reports', dir), { recursive: true, force: true });
      const reportDir = join(root, 'reports');
      const reportFile = join(reportDir, 'vitest-results.json');
      mkdirSync(reportDir, { recursive: true });
      rmSync(reportFile, { force: true });
      let code: number;
      try {
        code = await runInherit(
          'npx',
          [
            'vitest',
            'run',
            '--reporter=default',
            '--reporter=json',
            `--outputFile.json=${reportFile}`,
            ...filters,
          ],
          root,
          { ...process.env, ...env, NODE_OPTIONS: withoutKafkaJsTimeoutWarning(process.env['NODE_OPTIONS']) },
        );
      } finally {
        if (startedHere && !options.keepStack) {
          log('stopping the local stack');
          await stack.down();
        }
      }

      if (existsSync(reportFile)) {
        const report = JSON.parse(readFileSync(reportFile, 'utf8')) as VitestJsonReport;
        totals.passed += report.numPassedTests;
        totals.failed += report.numFailedTests;
        totals.skipped += report.numPendingTests + report.numTodoTests;
        // A file that fails to load has no tests to count; count it as one failure.
        if (report.numFailedTests === 0 && !report.success)
          totals.failed += Math.max(1, report.numFailedTestSuites);
      } else {
        log(`vitest wrote no report (exit code ${code})`);
        totals.failed += 1;
      }
      printTotals(totals);
      process.exitCode = totals.failed > 0 || code !== 0 ? 1 : 0;
    });
}

/**
 * kafkajs 2.2.4 sets a negative timeout on every connection under Node 24 (tulios/kafkajs#1751, fix
 * unmerged), and Node prints a `TimeoutNegativeWarning` for each test process that connects: noise in
 * every test run. Node's own flag silences exactly that warning (the services log it at debug).
 */
export function withoutKafkaJsTimeoutWarning(nodeOptions: string | undefined): string {
  const flag = '--disable-warning=TimeoutNegativeWarning';
  return nodeOptions?.includes(flag) ? nodeOptions : [nodeOptions, flag].filter(Boolean).join(' ');
}

function printTotals(totals: Totals): void {
  if (totals.skipped > 0) console.log(`(${totals.skipped} skipped: not counted as passed)`);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
}

export function runInherit(
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: 'inherit' });
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}
