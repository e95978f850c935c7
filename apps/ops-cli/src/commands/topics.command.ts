import { TOPIC_CATALOG } from '@pardot-x3/canonical';
import { hasDrift, type DriftReport } from '@pardot-x3/messaging';
import { Command } from 'commander';
import { printJson, withMessaging, withProgress } from './messaging-cli.util.js';

/** Exit code of `topics drift` when the cluster differs from the catalog. */
const DRIFT_EXIT_CODE = 2;

export function topicsCommand(): Command {
  const topics = new Command('topics').description(
    "Kafka topics from the catalog (schemas/catalog.yaml): event topics, their .replay topics, and each consumer group's retry, redrive and dead-letter topics",
  );

  topics
    .command('create')
    .description(
      'create the catalog topics the cluster lacks (idempotent; existing topics are never changed or deleted), then report drift',
    )
    .option('--dry-run', 'list what would be created, create nothing')
    .option('--json', 'print the result as JSON')
    .action(async (options: { dryRun?: boolean; json?: boolean }) => {
      await withMessaging('topics', async (messaging) => {
        const provisioner = await messaging.topicProvisioner();
        const { created, report } = await withProgress('creating', (onProgress) =>
          provisioner.create(TOPIC_CATALOG, { dryRun: options.dryRun, onProgress }),
        );
        if (options.json) {
          printJson({ dryRun: options.dryRun === true, created: created.map((t) => t.name), drift: report });
        } else {
          for (const topic of created)
            console.log(
              `${options.dryRun ? 'would create' : 'created'}  ${topic.name}  (${topic.role}, ${topic.partitions} partitions)`,
            );
          printDrift(report, { showMissing: !options.dryRun });
          console.log(
            `\n${options.dryRun ? 'Dry run: ' : ''}${created.length} topic(s) ${options.dryRun ? 'to create' : 'created'}. ` +
              `${options.dryRun ? 'Cluster' : 'Now'}: ${report.matching} as in the catalog, ${report.missing.length} missing, ` +
              `${report.differences.length} setting(s) differing, ${report.notInCatalog.length} topic(s) not in the catalog.`,
          );
        }
      });
    });

  topics
    .command('drift')
    .description(
      `compare the cluster with the catalog: missing topics, different partitions/replication/configs, unknown topics (exit code ${DRIFT_EXIT_CODE} on drift)`,
    )
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }) => {
      await withMessaging('topics', async (messaging) => {
        const report = await (await messaging.topicProvisioner()).drift(TOPIC_CATALOG);
        if (options.json) printJson(report);
        else {
          printDrift(report, { showMissing: true });
          console.log(
            `\n${report.matching} topic(s) as in the catalog, ${report.missing.length} missing, ${report.differences.length} setting(s) differing, ` +
              `${report.notInCatalog.length} not in the catalog.`,
          );
        }
        if (hasDrift(report)) process.exitCode = DRIFT_EXIT_CODE;
      });
    });

  topics
    .command('plan')
    .description(
      'list every topic the catalog defines for this cluster, with partitions and settings (reads the cluster only for its broker count)',
    )
    .option('--json', 'print the plan as JSON')
    .action(async (options: { json?: boolean }) => {
      await withMessaging('topics', async (messaging) => {
        const plan = await (await messaging.topicProvisioner()).plan(TOPIC_CATALOG);
        if (options.json) printJson(plan);
        else
          console.table(
            plan.map((t) => ({
              topic: t.name,
              role: t.role,
              partitions: t.partitions,
              replication: t.replicationFactor,
              cleanup: t.configs['cleanup.policy'],
              'retention.ms': t.configs['retention.ms'],
            })),
          );
      });
    });

  return topics;
}

function printDrift(report: DriftReport, options: { showMissing: boolean }): void {
  if (!report.configsCompared)
    console.log(
      'note: this Kafka driver cannot read topic configurations; only partitions and replication were compared (KAFKA_CLIENT=kafkajs compares all)',
    );
  if (options.showMissing)
    for (const topic of report.missing) console.log(`missing        ${topic.name}  (${topic.role})`);
  for (const d of report.differences)
    console.log(`differs        ${d.topic}  ${d.setting}: catalog ${d.expected}, cluster ${d.actual}`);
  for (const name of report.notInCatalog) console.log(`not in catalog ${name}`);
}
