import { createDataSource, runMigrations, type DataSource } from '@pardot-x3/persistence';
import { createTestDatabase } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PardotOwnWriteStore } from '../src/pardot-own-writes/pardot-own-write.store.js';
import { salesforceIngestDatabase } from '../src/salesforce-ingest.database.js';

/** The record of pardot-writer's own prospect writes, by which the Pardot poller drops their echoes. */
describe('Pardot own writes (salesforce-ingest)', () => {
  let database: { url: string; drop: () => Promise<void> };
  let dataSource: DataSource;
  let store: PardotOwnWriteStore;
  const at = (second: number) => new Date(Date.UTC(2026, 11, 7, 12, 0, second));

  beforeAll(async () => {
    database = await createTestDatabase('sfi-own-writes');
    dataSource = createDataSource({ url: database.url, ...salesforceIngestDatabase, poolSize: 2 });
    await runMigrations(dataSource);
    store = new PardotOwnWriteStore(dataSource);
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await database?.drop();
  });

  it('keeps the latest write per prospect from a batch, and an older write arriving late changes nothing', async () => {
    await dataSource.transaction((manager) =>
      store.recordAll(manager, [
        { prospectId: '1001', updatedAt: at(1), goldenId: 'g-1' },
        { prospectId: '1001', updatedAt: at(3), goldenId: 'g-1' },
        { prospectId: '1002', updatedAt: at(2), goldenId: 'g-2' },
        { prospectId: '1001', updatedAt: at(2), goldenId: 'g-1' },
      ]),
    );
    await dataSource.transaction((manager) =>
      store.recordAll(manager, [{ prospectId: '1002', updatedAt: at(1), goldenId: 'g-2' }]),
    );
    const last = await store.lastWrites(['1001', '1002', '1003']);
    expect(Object.fromEntries(last)).toEqual({ '1001': at(3).getTime(), '1002': at(2).getTime() });
    await dataSource.transaction((manager) =>
      store.recordAll(manager, [{ prospectId: '1002', updatedAt: at(5), goldenId: 'g-2' }]),
    );
    expect((await store.lastWrites(['1002'])).get('1002')).toBe(at(5).getTime());
  });
});
