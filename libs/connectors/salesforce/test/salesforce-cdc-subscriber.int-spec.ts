import type { ServiceProcess } from '@pardot-x3/testing';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SalesforceCdcSubscriber,
  type CdcEvent,
  type ReplayPosition,
  type ReplayPositionStore,
} from '../src/index.js';
import { admin, metricValue, sandboxClient, startSalesforceSandbox } from './salesforce-sandbox.js';

/** What the ingest service keeps in PostgreSQL; a map is enough to watch what the subscriber saves. */
class MemoryReplayStore implements ReplayPositionStore {
  readonly positions = new Map<string, ReplayPosition>();
  async load(channel: string): Promise<ReplayPosition | undefined> {
    return this.positions.get(channel);
  }
  async save(channel: string, position: ReplayPosition): Promise<void> {
    this.positions.set(channel, position);
  }
}

const CHANNEL = '/data/AccountChangeEvent';

describe('SalesforceCdcSubscriber against the Salesforce sandbox (jsforce streaming, CometD)', () => {
  let sandbox: ServiceProcess;
  const { client: ours } = sandboxClient('pardot-x3-cdc');
  const { client: someoneElse } = sandboxClient('crm-user-ui');

  function subscriber(
    store: ReplayPositionStore,
    handler: (event: CdcEvent) => Promise<void>,
  ): SalesforceCdcSubscriber {
    return new SalesforceCdcSubscriber({
      auth: ours.auth,
      apiVersion: '62.0',
      callClientId: 'pardot-x3-cdc',
      channel: CHANNEL,
      store,
      handler,
      startWithoutPosition: 'new-only',
    });
  }

  const namesOf = (events: CdcEvent[]) =>
    events
      .filter((e) => e.kind === 'change')
      .map((e) => (e.kind === 'change' ? (e.fields['Name'] as string | null) : null));

  beforeAll(async () => {
    sandbox = await startSalesforceSandbox();
  });

  afterAll(async () => {
    await sandbox?.stop();
  });

  it('delivers changes in order, flags our own writes as echoes and saves the position after each handled event', async () => {
    const store = new MemoryReplayStore();
    const events: CdcEvent[] = [];
    const sub = subscriber(store, async (e) => {
      events.push(e);
    });
    await sub.start();
    try {
      await ours.create('Account', { Name: 'Echo Co' });
      await someoneElse.create('Account', { Name: 'Theirs Co' });
      await waitFor(() => events.length >= 2, { description: 'two change events' });
      expect(events.map((e) => (e.kind === 'change' ? [e.fields['Name'], e.echo] : e.kind))).toEqual([
        ['Echo Co', true],
        ['Theirs Co', false],
      ]);
      const last = events[1]!;
      expect(store.positions.get(CHANNEL)).toEqual({
        cdcReplayId: last.kind === 'change' ? last.cdcReplayId : -1,
        commitTimestamp: last.kind === 'change' ? last.header.commitTimestamp : undefined,
      });
    } finally {
      await sub.stop();
    }
  });

  it('resumes after a restart from the stored replay id: what happened while stopped comes once, nothing earlier repeats', async () => {
    const store = new MemoryReplayStore();
    const first: CdcEvent[] = [];
    const a = subscriber(store, async (e) => {
      first.push(e);
    });
    await a.start();
    await someoneElse.create('Account', { Name: 'Before Stop' });
    await waitFor(() => first.length === 1);
    await a.stop();

    await someoneElse.create('Account', { Name: 'While Stopped 1' });
    await someoneElse.create('Account', { Name: 'While Stopped 2' });

    const second: CdcEvent[] = [];
    const b = subscriber(store, async (e) => {
      second.push(e);
    });
    await b.start();
    try {
      await someoneElse.create('Account', { Name: 'After Restart' });
      await waitFor(() => second.length >= 3, { description: 'three events after the restart' });
      expect(namesOf(second)).toEqual(['While Stopped 1', 'While Stopped 2', 'After Restart']);
    } finally {
      await b.stop();
    }
  });

  it('when the handler cannot make an event durable, gets the same event again and loses nothing after it', async () => {
    const store = new MemoryReplayStore();
    const handled: string[] = [];
    let failOnce = true;
    const sub = subscriber(store, async (e) => {
      const name = e.kind === 'change' ? String(e.fields['Name']) : e.kind;
      if (name === 'Flaky' && failOnce) {
        failOnce = false;
        throw new Error('Kafka did not acknowledge');
      }
      handled.push(name);
    });
    await sub.start();
    try {
      await someoneElse.create('Account', { Name: 'Steady 1' });
      await someoneElse.create('Account', { Name: 'Flaky' });
      await someoneElse.create('Account', { Name: 'Steady 2' });
      await waitFor(() => handled.length >= 3, {
        timeoutMs: 60_000,
        description: 'all three events handled',
      });
      expect(handled).toEqual(['Steady 1', 'Flaky', 'Steady 2']);
    } finally {
      await sub.stop();
    }
  });

  it('surfaces an expired stored replay id so the caller re-reads the missed window, then goes on with new events', async () => {
    const store = new MemoryReplayStore();
    const events: CdcEvent[] = [];
    const a = subscriber(store, async (e) => {
      events.push(e);
    });
    await a.start();
    await someoneElse.create('Account', { Name: 'Last Seen' });
    await waitFor(() => events.length === 1);
    await a.stop();
    const missedId = await someoneElse.create('Account', { Name: 'Missed While Down' });
    const { latestReplayId } = await admin<{ latestReplayId: number }>('GET', '/salesforce/change-events');
    await admin('POST', '/salesforce/change-events/expire', { throughReplayId: latestReplayId });
    const stored = store.positions.get(CHANNEL);

    const after: CdcEvent[] = [];
    const repaired: string[] = [];
    const b = subscriber(store, async (e) => {
      after.push(e);
      if (e.kind === 'replay-expired') {
        for await (const record of ours.changedSince({
          sobject: 'Account',
          fields: ['Name'],
          since: e.since ?? new Date(0),
          until: new Date(e.until.getTime() + 1_000),
        })) {
          repaired.push(record.Id);
        }
      }
    });
    await b.start();
    try {
      await someoneElse.create('Account', { Name: 'After Expiry' });
      await waitFor(() => after.length >= 2, { description: 'the expiry notice and the new event' });
      expect(after[0]).toMatchObject({
        kind: 'replay-expired',
        storedPosition: stored,
        since: new Date(stored!.commitTimestamp!),
      });
      expect(after[0]?.kind === 'replay-expired' && after[0].reason).toMatch(/replayId .* was invalid/);
      expect(repaired).toContain(missedId);
      expect(namesOf(after)).toEqual(['After Expiry']);
    } finally {
      await b.stop();
    }
  });

  it('surfaces GAP events with their record ids so the caller reads the records', async () => {
    const store = new MemoryReplayStore();
    const events: CdcEvent[] = [];
    const sub = subscriber(store, async (e) => {
      events.push(e);
    });
    await sub.start();
    try {
      const id = await someoneElse.create('Account', { Name: 'Gap Co' });
      await waitFor(() => events.length === 1);
      await admin('POST', '/salesforce/change-events/gap', {
        entityName: 'Account',
        recordIds: [id],
        changeType: 'GAP_UPDATE',
      });
      await waitFor(() => events.length === 2);
      const gap = events[1]!;
      expect(gap).toMatchObject({ kind: 'gap', header: { changeType: 'GAP_UPDATE', recordIds: [id] } });
      const records = await ours.retrieveByIds('Account', gap.kind === 'gap' ? gap.header.recordIds : [], [
        'Name',
      ]);
      expect(records.map((r) => r['Name'])).toEqual(['Gap Co']);
    } finally {
      await sub.stop();
    }
  });

  it('renews an access token that expires during the subscription and goes on without loss or repeat', async () => {
    const { client: shortLived, registry } = sandboxClient('pardot-x3-cdc');
    const store = new MemoryReplayStore();
    const events: CdcEvent[] = [];
    await admin('PUT', '/salesforce/connected-app', { tokenTtlSeconds: 2 });
    const sub = new SalesforceCdcSubscriber({
      auth: shortLived.auth,
      apiVersion: '62.0',
      callClientId: 'pardot-x3-cdc',
      channel: CHANNEL,
      store,
      handler: async (e) => {
        events.push(e);
      },
      startWithoutPosition: 'new-only',
    });
    await sub.start();
    try {
      await admin('PUT', '/salesforce/connected-app', { tokenTtlSeconds: 7200 });
      await someoneElse.create('Account', { Name: 'Token Before' });
      await waitFor(() => events.length === 1);
      // Let the subscriber's token expire, then change data.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      await someoneElse.create('Account', { Name: 'Token After 1' });
      await someoneElse.create('Account', { Name: 'Token After 2' });
      await waitFor(() => events.length >= 3, {
        timeoutMs: 90_000,
        description: 'events after the token expired',
      });
      expect(namesOf(events)).toEqual(['Token Before', 'Token After 1', 'Token After 2']);
      // The first token expired and the subscriber got a second one.
      expect(
        await metricValue(registry, 'px3_external_api_requests_total', {
          operation: 'authenticate',
          status: '200',
        }),
      ).toBe(2);
    } finally {
      await admin('PUT', '/salesforce/connected-app', { tokenTtlSeconds: 7200 });
      await sub.stop();
    }
  });

  it('survives the server forgetting its CometD clients: re-handshakes and goes on without loss or repeat', async () => {
    const store = new MemoryReplayStore();
    const events: CdcEvent[] = [];
    const sub = subscriber(store, async (e) => {
      events.push(e);
    });
    await sub.start();
    try {
      await someoneElse.create('Account', { Name: 'Before Reset' });
      await waitFor(() => events.length === 1);
      await admin('DELETE', '/salesforce/streaming/clients');
      await someoneElse.create('Account', { Name: 'After Reset 1' });
      await someoneElse.create('Account', { Name: 'After Reset 2' });
      await waitFor(() => events.length >= 3, {
        timeoutMs: 60_000,
        description: 'events after the client reset',
      });
      expect(namesOf(events)).toEqual(['Before Reset', 'After Reset 1', 'After Reset 2']);
    } finally {
      await sub.stop();
    }
  });
});
