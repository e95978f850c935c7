import { createTestDatabase } from '@pardot-x3/testing';
import { Column, Entity, PrimaryColumn, type MigrationInterface, type QueryRunner } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDatabase,
  createDataSource,
  preparedStatementName,
  ProcessedEventInbox,
  queryPrepared,
  runMigrations,
  type DataSource,
} from '../src/index.js';

/** What a service adds: its own entity and migration, passed as classes. */
@Entity({ name: 'golden_customer_example' })
class GoldenCustomerExampleEntity {
  @PrimaryColumn({ type: 'text' })
  id!: string;

  @Column({ type: 'text' })
  email!: string;
}

class CreateGoldenCustomerExample1764172900000 implements MigrationInterface {
  name = 'CreateGoldenCustomerExample1764172900000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE TABLE golden_customer_example (id text PRIMARY KEY, email text NOT NULL)',
    );
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE golden_customer_example');
  }
}

describe('persistence', () => {
  let database: { url: string; drop: () => Promise<void> };
  const sources: DataSource[] = [];
  const dataSource = (): DataSource => {
    const source = createDataSource({
      url: database.url,
      entities: [GoldenCustomerExampleEntity],
      migrations: [CreateGoldenCustomerExample1764172900000],
      applicationName: 'persistence-test',
      poolSize: 3,
    });
    sources.push(source);
    return source;
  };

  beforeAll(async () => {
    database = await createTestDatabase('persistence');
  });

  afterAll(async () => {
    await Promise.all(sources.filter((s) => s.isInitialized).map((s) => s.destroy()));
    await database.drop();
  });

  it('migrates the inbox and the service tables once, even with replicas starting together', async () => {
    const [first, second] = await Promise.all([runMigrations(dataSource()), runMigrations(dataSource())]);
    // One replica applied both migrations; the other waited for the lock and found nothing to do.
    expect([...(first ?? []), ...(second ?? [])].sort()).toEqual([
      'CreateGoldenCustomerExample1764172900000',
      'CreateProcessedEventTable1764172800000',
    ]);
    expect(await runMigrations(dataSource())).toEqual([]);
  });

  it('records an event once per group, and once more per replay', async () => {
    const source = dataSource();
    await runMigrations(source);
    const inbox = new ProcessedEventInbox();
    const entry = {
      consumerGroup: 'mdm.customer-mastering',
      eventId: 'evt-1',
      topic: 'customer.observation.recorded.v1',
      partition: 2,
      offset: '9007199254740993',
    };
    const record = (e: Parameters<ProcessedEventInbox['recordIfNew']>[1]) =>
      source.transaction((manager) => inbox.recordIfNew(manager, e));

    expect(await record(entry)).toBe(true);
    expect(await record(entry)).toBe(false);
    expect(await record({ ...entry, consumerGroup: 'pardot-writer.customers' })).toBe(true);
    expect(await record({ ...entry, replayId: 'replay-a' })).toBe(true);
    expect(await record({ ...entry, replayId: 'replay-a' })).toBe(false);
    expect(await inbox.isProcessed(source, 'mdm.customer-mastering', 'evt-1')).toBe(true);
    const rows: { offset: string }[] = await source.query(
      `SELECT "offset"::text AS offset FROM px3_processed_event WHERE replay_id = ''  AND consumer_group = 'mdm.customer-mastering'`,
    );
    expect(rows).toEqual([{ offset: '9007199254740993' }]);
  });

  it('records a batch in one statement and says which entries were new', async () => {
    const source = dataSource();
    await runMigrations(source);
    const inbox = new ProcessedEventInbox();
    const entry = (eventId: string) => ({
      consumerGroup: 'batch',
      eventId,
      topic: 't',
      partition: 0,
      offset: '1',
    });
    await source.transaction((m) => inbox.recordIfNew(m, entry('seen-before')));
    const fresh = await source.transaction((m) =>
      inbox.recordAllIfNew(m, [
        entry('a'),
        entry('b'),
        entry('a'),
        entry('seen-before'),
        { ...entry('b'), replayId: 'r' },
      ]),
    );
    expect([...fresh].sort()).toEqual([0, 1, 4]);
    expect(await source.transaction((m) => inbox.recordAllIfNew(m, [entry('a'), entry('c')]))).toEqual(
      new Set([1]),
    );
  });

  it('forgets the record when the effect fails, so the event is applied on its next delivery', async () => {
    const source = dataSource();
    await runMigrations(source);
    const inbox = new ProcessedEventInbox();
    const entry = {
      consumerGroup: 'mdm.customer-mastering',
      eventId: 'evt-2',
      topic: 't',
      partition: 0,
      offset: '1',
    };

    await expect(
      source.transaction(async (manager) => {
        expect(await inbox.recordIfNew(manager, entry)).toBe(true);
        await manager.insert(GoldenCustomerExampleEntity, { id: 'g1', email: 'jane@acme.example' });
        throw new Error('the effect failed');
      }),
    ).rejects.toThrow('the effect failed');

    expect(await inbox.isProcessed(source, 'mdm.customer-mastering', 'evt-2')).toBe(false);
    expect(await source.getRepository(GoldenCustomerExampleEntity).count()).toBe(0);
    expect(await source.transaction((manager) => inbox.recordIfNew(manager, entry))).toBe(true);
  });

  it('purges old inbox rows and reports the database healthy', async () => {
    const source = dataSource();
    await runMigrations(source);
    const inbox = new ProcessedEventInbox();
    await source.transaction((m) =>
      inbox.recordIfNew(m, { consumerGroup: 'g', eventId: 'old', topic: 't', partition: 0, offset: '0' }),
    );
    await source.query(
      `UPDATE px3_processed_event SET processed_at = now() - interval '40 days' WHERE event_id = 'old'`,
    );
    expect(await inbox.purgeProcessedBefore(source, new Date(Date.now() - 30 * 86_400_000))).toBe(1);
    expect(await checkDatabase(source)).toEqual({ healthy: true });
    await source.destroy();
    expect(await checkDatabase(source)).toEqual({
      healthy: false,
      detail: 'the data source is not initialised',
    });
  });

  it('runs a hot statement prepared once per connection inside a transaction, and plainly outside', async () => {
    const source = dataSource();
    await runMigrations(source);
    const text = 'SELECT count(*)::int AS n FROM unnest($1::text[]) AS t(v) WHERE v <> $2';
    const name = preparedStatementName(text);
    expect(name).toMatch(/^px3_[0-9a-f]{20}$/);
    expect(preparedStatementName(text)).toBe(name);
    const prepared = await source.transaction(async (manager) => {
      const first = await queryPrepared<{ n: number }>(manager, text, [['a', 'b', 'c'], 'b']);
      const second = await queryPrepared<{ n: number }>(manager, text, [['a'], 'z']);
      const statements = await queryPrepared<{ name: string }>(
        manager,
        'SELECT name FROM pg_prepared_statements WHERE name = $1',
        [name],
      );
      return { first: first[0]?.n, second: second[0]?.n, statements: statements.map((s) => s.name) };
    });
    expect(prepared).toEqual({ first: 2, second: 1, statements: [name] });
    // Without a transaction there is no held connection: an ordinary query, same rows.
    expect(await queryPrepared<{ n: number }>(source.manager, text, [['x', 'y'], 'q'])).toEqual([{ n: 2 }]);
    // A failing statement surfaces node-postgres's error with its SQLSTATE, for the failure policy.
    await expect(
      source.transaction((manager) => queryPrepared(manager, 'SELECT 1 / $1::int AS n', [0])),
    ).rejects.toMatchObject({ code: '22012' });
  });
});
