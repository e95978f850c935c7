import { deadLetterTopicName, TOPIC_CATALOG } from '@pardot-x3/canonical';
import {
  selectDeadLetters,
  summarizeDeadLetters,
  type DeadLetterEntry,
  type DeadLetterFilter,
  type Messaging,
} from '@pardot-x3/messaging';
import { Command } from 'commander';
import { catalogGroup, printJson, withMessaging, withProgress } from './messaging-cli.util.js';

interface SelectionOptions {
  readonly errorClass?: string;
  readonly position?: string[];
  readonly eventId?: string[];
  readonly includeRedriven?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

export function dlqCommand(): Command {
  const dlq = new Command('dlq').description(
    'dead letters: messages a consumer group gave up on (<group>.dlq), with the error, the attempts and the original message',
  );

  dlq
    .command('list')
    .description(
      'dead letters grouped by error class and message, per consumer group (every group of the catalog unless named)',
    )
    .argument('[groups...]', 'consumer group ids, e.g. mdm.customer-mastering')
    .option('--json', 'print the groups as JSON')
    .action(async (groups: string[], options: { json?: boolean }) => {
      const names =
        groups.length > 0
          ? groups.map((g) => catalogGroup(g).name)
          : TOPIC_CATALOG.consumerGroups.map((g) => g.name);
      await withMessaging('dlq', async (messaging) => {
        const all: Record<string, ReturnType<typeof summarizeDeadLetters>> = {};
        let total = 0;
        await withProgress('reading', async (onProgress) => {
          for (const [i, group] of names.entries()) {
            const entries = await readIfAny(messaging, group);
            total += entries.length;
            if (entries.length > 0) all[group] = summarizeDeadLetters(entries);
            onProgress({ done: i + 1, total: names.length, item: group });
          }
        });
        if (options.json) {
          printJson(all);
          return;
        }
        for (const [group, errorGroups] of Object.entries(all)) {
          console.log(`\n${group}  (${deadLetterTopicName(group)})`);
          console.table(
            errorGroups.map((g) => ({
              'error class': g.errorClass,
              count: g.count,
              're-driven': g.redriven,
              reasons: g.reasons.join(','),
              'origin topics': g.originTopics.join(','),
              first: g.first.toISOString(),
              last: g.last.toISOString(),
              message: g.messagePattern.slice(0, 80),
              positions: g.samplePositions.join(' '),
            })),
          );
        }
        console.log(
          `\n${total} dead letter(s) in ${Object.keys(all).length} of ${names.length} consumer group(s).`,
        );
      });
    });

  dlq
    .command('inspect')
    .description(
      'show dead letters of one group: error, attempts, origin, headers and the original event decoded through the registry',
    )
    .argument('<group>', 'consumer group id')
    .option('--error-class <class>', 'only entries with this error class')
    .option('--position <partition:offset>', 'only these entries (repeat or comma-separate)', collect)
    .option('--event-id <id>', 'only entries with these event ids (repeat or comma-separate)', collect)
    .option('--include-redriven', 'include entries already re-driven')
    .option('--limit <n>', 'show at most n entries', '20')
    .option('--json', 'print the entries as JSON')
    .action(async (groupName: string, options: SelectionOptions & { limit: string; json?: boolean }) => {
      const group = catalogGroup(groupName);
      await withMessaging('dlq', async (messaging) => {
        const entries = await withProgress('reading', async (onProgress) =>
          (await messaging.deadLetterInspector()).read(group.name, { onProgress }),
        );
        const selected = selectDeadLetters(entries, {
          ...filterOf(options),
          includeRedriven: options.includeRedriven ?? true,
        }).slice(0, Number(options.limit));
        const shown = await Promise.all(selected.map((entry) => describeEntry(messaging, entry)));
        if (options.json) printJson(shown);
        else for (const entry of shown) console.log(`${JSON.stringify(entry, null, 2)}\n`);
        console.error(`[dlq] ${shown.length} of ${entries.length} dead letter(s) shown`);
      });
    });

  dlq
    .command('redrive')
    .description(
      'send selected dead letters back to the group that parked them (<group>.redrive; only that group reads it), after a fix. Its inbox keeps an event from being applied twice',
    )
    .argument('<group>', 'consumer group id')
    .option('--error-class <class>', 'entries with this error class')
    .option('--position <partition:offset>', 'these entries (repeat or comma-separate)', collect)
    .option('--event-id <id>', 'entries with these event ids (repeat or comma-separate)', collect)
    .option('--all', 'every entry not re-driven yet')
    .option('--include-redriven', 'also entries re-driven before')
    .option('--dry-run', 'list what would be re-driven, send nothing')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        groupName: string,
        options: SelectionOptions & { all?: boolean; dryRun?: boolean; json?: boolean },
      ) => {
        const group = catalogGroup(groupName);
        const filter = filterOf(options);
        if (
          !options.all &&
          filter.errorClass === undefined &&
          filter.positions === undefined &&
          filter.eventIds === undefined
        ) {
          throw new Error(
            'Say which dead letters to re-drive: --error-class, --position, --event-id, or --all',
          );
        }
        await withMessaging('dlq', async (messaging) => {
          const entries = await withProgress('reading', async (onProgress) =>
            (await messaging.deadLetterInspector()).read(group.name, { onProgress }),
          );
          const selected = selectDeadLetters(entries, filter);
          const result = await withProgress('re-driving', (onProgress) =>
            messaging
              .deadLetterRedriver()
              .redrive(group.name, selected, { dryRun: options.dryRun, onProgress }),
          );
          const summary = {
            dryRun: options.dryRun === true,
            group: group.name,
            target: result.target,
            redriven: result.redriven.map((e) => ({
              position: e.position,
              eventId: e.envelope.eventId,
              errorClass: e.envelope.errorClass,
            })),
          };
          if (options.json) printJson(summary);
          else {
            for (const e of summary.redriven)
              console.log(
                `${options.dryRun ? 'would re-drive' : 're-driven'}  ${e.position}  ${e.eventId ?? '(no event id)'}  ${e.errorClass}`,
              );
            console.log(
              `\n${options.dryRun ? 'Dry run: ' : ''}${summary.redriven.length} of ${entries.length} dead letter(s) ${options.dryRun ? 'would be' : ''} re-driven to ${result.target}.`,
            );
          }
        });
      },
    );

  return dlq;
}

function filterOf(options: SelectionOptions): DeadLetterFilter {
  return {
    errorClass: options.errorClass,
    positions: options.position && options.position.length > 0 ? options.position : undefined,
    eventIds: options.eventId && options.eventId.length > 0 ? options.eventId : undefined,
    includeRedriven: options.includeRedriven,
  };
}

async function readIfAny(messaging: Messaging, group: string): Promise<DeadLetterEntry[]> {
  const admin = await messaging.admin();
  const topic = messaging.namespace.topic(deadLetterTopicName(group));
  if (!(await admin.listTopics()).includes(topic)) return [];
  const offsets = await admin.fetchTopicOffsets(topic);
  if (offsets.every((o) => o.high === o.low)) return [];
  return (await messaging.deadLetterInspector()).read(group);
}

async function describeEntry(messaging: Messaging, entry: DeadLetterEntry): Promise<Record<string, unknown>> {
  const { envelope } = entry;
  let event: unknown = null;
  if (envelope.payload) {
    try {
      event = (await messaging.serde.deserializeAny(envelope.payload)).value;
    } catch (error) {
      event = { undecodable: (error as Error).message, bytes: envelope.payload.toString('base64') };
    }
  }
  return {
    position: entry.position,
    redrivenAt: entry.redrivenAt?.toISOString(),
    eventId: envelope.eventId,
    reason: envelope.reason,
    errorClass: envelope.errorClass,
    errorMessage: envelope.errorMessage,
    attempts: envelope.attempts,
    firstFailedAt: envelope.firstFailedAt.toISOString(),
    deadLetteredAt: envelope.deadLetteredAt.toISOString(),
    origin: { ...envelope.origin, timestamp: envelope.origin.timestamp.toISOString() },
    key: envelope.key?.toString('utf8') ?? null,
    headers: Object.fromEntries(envelope.headers.map((h) => [h.name, h.value?.toString('utf8') ?? null])),
    event,
    errorStack: envelope.errorStack,
  };
}
