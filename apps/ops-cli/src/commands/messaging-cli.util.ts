import {
  CONSUMER_GROUPS,
  TOPIC_CATALOG,
  type ConsumerGroupDefinition,
  type TopicDefinition,
} from '@pardot-x3/canonical';
import { LocalStack, redactUrl } from '@pardot-x3/local-stack';
import { loadMessagingConfig, Messaging, type ProgressListener } from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import cliProgress from 'cli-progress';

/**
 * What the topics, schemas, dlq and replay commands share: the messaging layer configured from the
 * environment (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, PX3_TOPIC_NAMESPACE, KAFKA_CLIENT ...), or from the
 * local stack when those are not set; progress bars; points in time.
 */

/** Opens the messaging layer for a command; says which cluster and registry it talks to. */
export async function openMessaging(command: string): Promise<Messaging> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  if (!env['KAFKA_BROKERS'] || !env['SCHEMA_REGISTRY_URL']) {
    const local = new LocalStack().environment();
    env['KAFKA_BROKERS'] ??= local.KAFKA_BROKERS;
    env['SCHEMA_REGISTRY_URL'] ??= local.SCHEMA_REGISTRY_URL;
  }
  const config = loadMessagingConfig(`ops-cli-${command}`, env);
  const logger = createLogger({
    service: `ops-cli-${command}`,
    level: process.env['LOG_LEVEL'] === 'debug' ? 'debug' : 'error',
    destination: process.stderr,
  });
  const messaging = await Messaging.create({ config, logger });
  console.error(
    `[${command}] Kafka ${config.brokers.join(',')} (${config.driver}), registry ${redactUrl(config.schemaRegistry.url)}` +
      (config.namespace ? `, namespace "${config.namespace}"` : ''),
  );
  return messaging;
}

/** Runs a command body with the messaging layer, closing it afterwards whatever happens. */
export async function withMessaging<T>(
  command: string,
  body: (messaging: Messaging) => Promise<T>,
): Promise<T> {
  const messaging = await openMessaging(command);
  try {
    return await body(messaging);
  } finally {
    await messaging.close();
  }
}

/** A progress bar on standard error (hidden when it is not a terminal), as a progress listener. */
export function progressBar(label: string): { readonly listener: ProgressListener; stop(): void } {
  const bar = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(12)} [{bar}] {percentage}% | {value}/{total} {item}`,
      hideCursor: true,
      clearOnComplete: false,
      stream: process.stderr,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    listener: (progress) => {
      const total = progress.total ?? Math.max(progress.done, 1);
      if (!started) {
        bar.start(total, 0, { item: '' });
        started = true;
      }
      bar.setTotal(Math.max(total, 1));
      bar.update(progress.done, { item: progress.item ?? '' });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

/** Runs `body` with a progress bar that is always stopped. */
export async function withProgress<T>(
  label: string,
  body: (listener: ProgressListener) => Promise<T>,
): Promise<T> {
  const bar = progressBar(label);
  try {
    return await body(bar.listener);
  } finally {
    bar.stop();
  }
}

const RELATIVE = /^(\d+)\s*(s|m|h|d)\s*(ago)?$/;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `now`, an ISO-8601 date or date-time (`2026-11-26`, `2026-11-26T10:00:00Z`), or `<n>s|m|h|d ago`. */
export function parsePointInTime(text: string, now = new Date()): Date {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'now') return now;
  const relative = RELATIVE.exec(trimmed);
  if (relative?.[1] && relative[2])
    return new Date(now.getTime() - Number(relative[1]) * (UNIT_MS[relative[2]] ?? 0));
  const parsed = new Date(text.trim());
  if (Number.isNaN(parsed.getTime())) {
    throw new Error(
      `"${text}" is not a point in time: use now, an ISO-8601 date or date-time (2026-11-26T10:00:00Z), or "2h ago"`,
    );
  }
  return parsed;
}

export function catalogTopic(name: string): TopicDefinition<unknown> {
  const topic = TOPIC_CATALOG.topics.find((t) => t.name === name);
  if (!topic)
    throw new Error(
      `Unknown topic "${name}". Catalog topics:\n  ${TOPIC_CATALOG.topics.map((t) => t.name).join('\n  ')}`,
    );
  return topic;
}

export function catalogGroup(name: string): ConsumerGroupDefinition {
  const group = Object.values(CONSUMER_GROUPS).find((g) => g.name === name);
  if (!group)
    throw new Error(
      `Unknown consumer group "${name}". Catalog groups:\n  ${TOPIC_CATALOG.consumerGroups.map((g) => g.name).join('\n  ')}`,
    );
  return group;
}

export function printJson(value: unknown): void {
  console.log(JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2));
}
