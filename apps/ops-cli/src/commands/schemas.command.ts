import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TOPIC_CATALOG } from '@pardot-x3/canonical';
import { LocalStack } from '@pardot-x3/local-stack';
import { SUBJECT_COMPATIBILITY, type SubjectResult } from '@pardot-x3/messaging';
import { Command } from 'commander';
import { printJson, withMessaging, withProgress } from './messaging-cli.util.js';

const run = promisify(execFile);

export function schemasCommand(): Command {
  const schemas = new Command('schemas').description(
    `Avro schemas of the catalog in the schema registry: subject <namespace><topic>-value (TopicNameStrategy), compatibility ${SUBJECT_COMPATIBILITY}`,
  );

  schemas
    .command('register')
    .description(
      `set each subject's compatibility to ${SUBJECT_COMPATIBILITY} and register its schema (CI/CD step; services never register)`,
    )
    .option(
      '--dry-run',
      'say what would be registered and whether the registry would accept it, register nothing',
    )
    .option('--json', 'print the results as JSON')
    .action(async (options: { dryRun?: boolean; json?: boolean }) => {
      await withMessaging('schemas', async (messaging) => {
        const results = await withProgress('registering', (onProgress) =>
          messaging.schemaPublisher().register(TOPIC_CATALOG, { dryRun: options.dryRun, onProgress }),
        );
        report(results, options.json === true);
      });
    });

  schemas
    .command('check')
    .description(
      'check the schemas against the registry without writing: against what is registered there (default), or against their own git history in a scratch namespace (--history: what CI runs). Exit code 1 when a change breaks compatibility',
    )
    .option(
      '--history',
      'register every committed version of each subject, oldest first, then the working tree, in a throwaway namespace',
    )
    .option('--since <git-ref>', 'with --history: start at this ref (e.g. the base branch of a pull request)')
    .option('--json', 'print the results as JSON')
    .action(async (options: { history?: boolean; since?: string; json?: boolean }) => {
      await withMessaging('schemas', async (messaging) => {
        if (!options.history) {
          const results = await withProgress('checking', (onProgress) =>
            messaging.schemaPublisher().check(TOPIC_CATALOG, { onProgress }),
          );
          report(results, options.json === true);
          return;
        }
        const root = new LocalStack().config.rootDir;
        const args = [
          join(root, 'libs', 'contracts', 'canonical', 'codegen', 'schema-history.ts'),
          ...(options.since ? ['--since', options.since] : []),
        ];
        const { stdout } = await run(process.execPath, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 });
        const history = JSON.parse(stdout) as {
          commits: number;
          subjects: { subject: string; versions: string[] }[];
        };
        const scratch = `schema-check-${Date.now().toString(36)}.`;
        console.error(
          `[schemas] ${history.subjects.length} subjects over ${history.commits} commit(s) of schemas/, checked in namespace "${scratch}"`,
        );
        const results = await withProgress('checking', (onProgress) =>
          messaging.schemaPublisher().verifyHistory(history.subjects, scratch, { onProgress }),
        );
        report(results, options.json === true);
      });
    });

  return schemas;
}

function report(results: readonly SubjectResult[], json: boolean): void {
  const refused = results.filter((r) => r.status === 'incompatible');
  if (json) printJson(results);
  else {
    for (const r of results) {
      const id = r.id === undefined ? '' : ` (id ${r.id})`;
      console.log(
        `${r.status.padEnd(14)} ${r.subject}${id}${r.detail ? `\n               ${r.detail}` : ''}`,
      );
    }
    const counts = new Map<string, number>();
    for (const r of results) counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
    console.log(
      `\n${results.length} subject(s): ${[...counts].map(([status, n]) => `${n} ${status}`).join(', ')}`,
    );
  }
  if (refused.length > 0) process.exitCode = 1;
}
