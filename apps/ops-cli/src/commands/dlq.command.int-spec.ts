import { CONSUMER_GROUPS, TOPIC_CATALOG, TOPICS, type CustomerObservation } from '@pardot-x3/canonical';
import {
  loadMessagingConfig,
  Messaging,
  NonRetriableError,
  onEvent,
  type ConsumerRunner,
  type SentEvent,
} from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import { createDataSource, runMigrations, type DataSource } from '@pardot-x3/persistence';
import { createTestDatabase, uniqueNamespace, waitFor } from '@pardot-x3/testing';
import type { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dlqCommand } from './dlq.command.js';
import { replayCommand } from './replay.command.js';
import { schemasCommand } from './schemas.command.js';
import { topicsCommand } from './topics.command.js';

const topic = TOPICS.customerObservationRecordedV1;
const group = CONSUMER_GROUPS.mdmCustomerMastering;

/** Runs a CLI command in this process and returns what it printed as JSON on standard output. */
async function cli<T>(command: () => Command, ...args: string[]): Promise<T> {
  const printed: string[] = [];
  const log = vi
    .spyOn(console, 'log')
    .mockImplementation((...parts: unknown[]) => void printed.push(parts.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    await command()
      .exitOverride()
      .parseAsync([...args, '--json'], { from: 'user' });
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
  return JSON.parse(printed.join('\n')) as T;
}

function observation(sourceId: string, customerCode: string): CustomerObservation {
  return {
    sourceSystem: 'X3',
    sourceEntity: 'BPCUSTOMER',
    sourceId,
    observedAt: new Date(),
    deleted: false,
    email: `${sourceId.toLowerCase()}@acme.example`,
    firstName: null,
    lastName: null,
    companyName: 'ACME',
    phone: null,
    address: null,
    customerCode,
    customerGroup: null,
    currencyCode: 'EUR',
    paymentTerms: null,
    creditStatus: null,
    totalRevenue: null,
    lastPurchaseDate: null,
    industrySegment: null,
    pardotGrade: null,
    pardotScore: null,
    customFields: {},
    clearedFields: [],
    links: [],
    quarantinedFields: [],
  };
}

describe('./pardot-x3 topics, schemas, dlq and replay', () => {
  const namespace = uniqueNamespace('cli');
  let savedNamespace: string | undefined;
  let messaging: Messaging;
  let runner: ConsumerRunner;
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let fixed = false;
  let poison: SentEvent;
  const started = new Date();
  const applied = async (eventId: string): Promise<number> =>
    Number(
      (
        (await dataSource.query('SELECT count(*) AS n FROM effect WHERE event_id = $1', [eventId])) as {
          n: string;
        }[]
      )[0]?.n ?? 0,
    );

  beforeAll(async () => {
    savedNamespace = process.env['PX3_TOPIC_NAMESPACE'];
    process.env['PX3_TOPIC_NAMESPACE'] = namespace;
    database = await createTestDatabase('cli');
    dataSource = createDataSource({ url: database.url, poolSize: 3 });
    await runMigrations(dataSource);
    await dataSource.query('CREATE TABLE effect (event_id text NOT NULL, note text NOT NULL)');
    messaging = await Messaging.create({
      config: loadMessagingConfig('cli-test'),
      logger: createLogger({ service: 'cli-test', level: 'error' }),
    });
  });

  afterAll(async () => {
    await runner?.stop();
    const plan = await (await messaging.topicProvisioner()).plan(TOPIC_CATALOG);
    await (await messaging.admin()).deleteTopics(plan.map((t) => t.name));
    await messaging.close();
    await dataSource.destroy();
    await database.drop();
    if (savedNamespace === undefined) delete process.env['PX3_TOPIC_NAMESPACE'];
    else process.env['PX3_TOPIC_NAMESPACE'] = savedNamespace;
  });

  it('create the catalog topics and register the schemas (idempotently)', async () => {
    const created = await cli<{ created: string[] }>(topicsCommand, 'create');
    expect(created.created).toContain(`${namespace}${topic.name}`);
    expect(created.created).toContain(`${namespace}${group.name}.dlq`);
    expect((await cli<{ created: string[] }>(topicsCommand, 'create')).created).toEqual([]);
    const registered = await cli<{ status: string }[]>(schemasCommand, 'register');
    expect(new Set(registered.map((r) => r.status))).toEqual(new Set(['registered']));
    expect(new Set((await cli<{ status: string }[]>(schemasCommand, 'check')).map((r) => r.status))).toEqual(
      new Set(['unchanged']),
    );
  });

  it('list a poison message by error, and re-drive it after the fix: applied once', async () => {
    runner = messaging.consumer({
      group,
      dataSource,
      handlers: [
        onEvent(topic, async (o: CustomerObservation, context) => {
          if (o.customerCode === 'HELD' && !fixed)
            throw new NonRetriableError(`customer ${o.sourceId} is on credit hold`);
          await context.entityManager.query('INSERT INTO effect (event_id, note) VALUES ($1, $2)', [
            context.metadata.eventId,
            o.sourceId,
          ]);
        }),
      ],
    });
    await runner.start();
    await messaging.producer.send(topic, observation('C1', 'OK1'));
    poison = await messaging.producer.send(topic, observation('C2', 'HELD'));

    const listed = await waitFor(
      async () => {
        const result = await cli<
          Record<string, { errorClass: string; count: number; messagePattern: string }[]>
        >(dlqCommand, 'list', group.name);
        return result[group.name]?.length ? result[group.name] : undefined;
      },
      { timeoutMs: 60_000, description: 'the dead letter to be listed' },
    );
    expect(listed).toEqual([
      expect.objectContaining({
        errorClass: 'NonRetriableError',
        count: 1,
        messagePattern: 'customer <id> is on credit hold',
      }),
    ]);
    const inspected = await cli<{ eventId: string; event: { sourceId: string } }[]>(
      dlqCommand,
      'inspect',
      group.name,
    );
    expect(inspected[0]).toMatchObject({ eventId: poison.eventId, event: { sourceId: 'C2' } });

    fixed = true;
    const dryRun = await cli<{ redriven: unknown[] }>(
      dlqCommand,
      'redrive',
      group.name,
      '--error-class',
      'NonRetriableError',
      '--dry-run',
    );
    expect(dryRun.redriven).toHaveLength(1);
    expect(await applied(poison.eventId)).toBe(0);

    await cli(dlqCommand, 'redrive', group.name, '--error-class', 'NonRetriableError');
    await waitFor(async () => (await applied(poison.eventId)) === 1, {
      timeoutMs: 60_000,
      description: 'the re-driven event to be applied',
    });
    // Nothing left to re-drive; forcing it again is skipped by the inbox.
    expect((await cli<{ redriven: unknown[] }>(dlqCommand, 'redrive', group.name, '--all')).redriven).toEqual(
      [],
    );
    await cli(dlqCommand, 'redrive', group.name, '--all', '--include-redriven');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await applied(poison.eventId)).toBe(1);
  });

  it('replays a time range (dry run counts without copying)', async () => {
    const result = await cli<{ selected: number; complete: boolean }>(
      replayCommand,
      'range',
      topic.name,
      '--from',
      started.toISOString(),
      '--dry-run',
    );
    expect(result).toMatchObject({ selected: 2, complete: true });
  });
});
