import { spawn } from 'node:child_process';
import { Command } from 'commander';
import { LocalStack, loadStackConfig, redactUrl, tailLog, type ComponentName } from '@pardot-x3/local-stack';

const log = (line: string): void => console.error(`[stack] ${line}`);

export function stackCommand(): Command {
  const stack = new Command('stack').description(
    'The local infrastructure: a real Kafka broker, schema registry (Apicurio, Confluent API) and PostgreSQL',
  );

  stack
    .command('up')
    .description('start every part (idempotent) and wait until each serves requests')
    .option(
      '--sasl-ssl',
      'Kafka also listens for SASL_SSL (SCRAM-SHA-512/256, certificate of a CA generated in the stack folder) and the stack env points clients at it (PX3_STACK_SASL_SSL=1); needs a fresh stack folder',
    )
    .action(async (options: { saslSsl?: boolean }) => {
      const local = new LocalStack(
        loadStackConfig(options.saslSsl ? { ...process.env, PX3_STACK_SASL_SSL: '1' } : process.env),
      );
      const t0 = Date.now();
      const env = await local.up(log);
      log(`stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      printStatus(local);
      console.log('\nUse it from a shell with:  eval "$(./pardot-x3 stack env)"');
      for (const [k, v] of Object.entries(env))
        console.log(
          `  ${k}=${k === 'DATABASE_URL' ? redactUrl(v) : k === 'KAFKA_SASL_PASSWORD' ? '*** (stack env prints it)' : v}`,
        );
    });

  stack
    .command('down')
    .description('stop every part; no process is left behind (data stays in .stack/ unless --purge)')
    .option('--purge', 'also delete the data and logs folder')
    .action(async (options: { purge?: boolean }) => {
      const local = new LocalStack();
      const outcomes = await local.down();
      for (const [name, outcome] of Object.entries(outcomes)) log(`${name}: ${outcome}`);
      if (options.purge) {
        const { rmSync } = await import('node:fs');
        rmSync(local.config.homeDir, { recursive: true, force: true });
        log(`deleted ${local.config.homeDir}`);
      }
    });

  stack
    .command('status')
    .description('what runs where')
    .action(() => {
      const local = new LocalStack();
      printStatus(local);
      process.exitCode = local.isRunning() ? 0 : 3;
    });

  stack
    .command('env')
    .description(
      'print export lines for KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL (and KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_* when Kafka runs with --sasl-ssl)',
    )
    .action(() => {
      const env = new LocalStack().environment();
      for (const [k, v] of Object.entries(env)) console.log(`export ${k}='${v}'`);
    });

  stack
    .command('logs')
    .description('show the log of one part (kafka, schema-registry, postgres) or all')
    .argument('[component]', 'kafka | schema-registry | postgres')
    .option('-n, --lines <n>', 'lines to show', '60')
    .option('-f, --follow', 'keep printing new lines')
    .action((component: ComponentName | undefined, options: { lines: string; follow?: boolean }) => {
      const files = new LocalStack().logFiles();
      const names = component ? [component] : (Object.keys(files) as ComponentName[]);
      for (const name of names) {
        const file = files[name];
        if (!file)
          throw new Error(`Unknown or external component "${name}"; known: ${Object.keys(files).join(', ')}`);
        if (options.follow) {
          spawn('tail', ['-n', options.lines, '-F', file], { stdio: 'inherit' });
        } else {
          console.log(`==> ${file} <==\n${tailLog(file, Number(options.lines))}`);
        }
      }
    });

  return stack;
}

function printStatus(local: LocalStack): void {
  const rows = local.status().map((s) => ({
    component: s.name,
    state: s.state,
    pid: s.pid ?? '',
    address: s.address,
    log: s.logFile ?? '',
  }));
  console.table(rows);
}
