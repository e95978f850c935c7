import { Command } from 'commander';
import {
  catalogGroup,
  catalogTopic,
  parsePointInTime,
  printJson,
  withMessaging,
  withProgress,
} from './messaging-cli.util.js';

export function replayCommand(): Command {
  const replay = new Command('replay').description(
    'reprocess events: a time range of a topic, or a stopped consumer group moved back (or forward) in time',
  );

  replay
    .command('range')
    .description(
      'copy every message of <topic> with a timestamp in [from, to) into <topic>.replay, which every group of the topic also reads; each group applies a replayed event once (inbox keyed by replay id)',
    )
    .argument('<topic>', 'catalog topic, e.g. customer.observation.recorded.v1')
    .requiredOption('--from <time>', 'start, included: ISO-8601 (2026-11-26T10:00:00Z), "2h ago" or now')
    .option('--to <time>', 'end, excluded (same forms)', 'now')
    .option('--dry-run', 'count the messages in the range, copy nothing')
    .option('--json', 'print the result as JSON')
    .action(
      async (topicName: string, options: { from: string; to: string; dryRun?: boolean; json?: boolean }) => {
        const topic = catalogTopic(topicName);
        const now = new Date();
        const from = parsePointInTime(options.from, now);
        const to = parsePointInTime(options.to, now);
        await withMessaging('replay', async (messaging) => {
          const replayer = await messaging.topicReplayer();
          const result = await withProgress(options.dryRun ? 'scanning' : 'replaying', (onProgress) =>
            replayer.replay(topic.name, from, to, { dryRun: options.dryRun, onProgress }),
          );
          if (options.json) printJson({ dryRun: options.dryRun === true, ...result });
          else {
            for (const p of result.perPartition)
              console.log(`partition ${p.partition}: ${p.selected} message(s)`);
            console.log(
              `\n${options.dryRun ? 'Dry run: ' : ''}${result.selected} message(s) of ${result.source} between ${from.toISOString()} and ${to.toISOString()} ` +
                `${options.dryRun ? 'would be copied' : 'copied'} to ${result.target} (${result.scanned} scanned)${options.dryRun ? '' : `, replay id ${result.replayId}`}.`,
            );
            if (!result.complete)
              console.log(
                'Warning: a partition could not be read to its end in time; the replay may be incomplete.',
              );
          }
          if (!result.complete) process.exitCode = 1;
        });
      },
    );

  replay
    .command('reset-group')
    .description(
      "move a stopped consumer group's committed offsets on its catalog topics to the first message at or after a point in time. Events read again are still deduplicated by the group's inbox (useful after restoring its database)",
    )
    .argument('<group>', 'consumer group id, e.g. mdm.customer-mastering')
    .requiredOption('--to <time>', 'ISO-8601 (2026-11-26T10:00:00Z), "2h ago" or now')
    .option('--dry-run', 'show the offsets before and after, change nothing')
    .option('--json', 'print the plan as JSON')
    .action(async (groupName: string, options: { to: string; dryRun?: boolean; json?: boolean }) => {
      const group = catalogGroup(groupName);
      const to = parsePointInTime(options.to);
      await withMessaging('replay', async (messaging) => {
        const plan = await (
          await messaging.consumerGroupResetter()
        ).reset(group, to, { dryRun: options.dryRun });
        if (options.json) printJson({ dryRun: options.dryRun === true, ...plan });
        else {
          console.table(
            plan.changes.map((c) => ({
              topic: c.topic,
              partition: c.partition,
              current: c.current,
              target: c.target,
              'read again': c.delta ?? '(no commit yet)',
            })),
          );
          const again = plan.changes.reduce((sum, c) => sum + (c.delta ?? 0), 0);
          console.log(
            `\n${options.dryRun ? 'Dry run: ' : ''}group ${plan.groupId} (${plan.state}) ${options.dryRun ? 'would be' : 'was'} moved to ${to.toISOString()}: ` +
              `${again >= 0 ? `${again} message(s) to read again` : `${-again} message(s) skipped`}.`,
          );
        }
      });
    });

  return replay;
}
