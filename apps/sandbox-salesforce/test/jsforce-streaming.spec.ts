import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type jsforce from 'jsforce';
import { StreamingExtension } from 'jsforce/api/streaming';
import { startTestSandbox, type TestSandbox } from './sandbox-salesforce.fixture.js';

const CHANNEL = '/data/AccountChangeEvent';

interface ChangeEventMessage {
  readonly payload: Record<string, unknown> & {
    readonly ChangeEventHeader: {
      readonly entityName: string;
      readonly recordIds: string[];
      readonly changeType: string;
      readonly changedFields: string[];
      readonly changeOrigin: string;
      readonly transactionKey: string;
      readonly sequenceNumber: number;
      readonly commitTimestamp: number;
      readonly commitUser: string;
      readonly commitNumber: number;
      readonly nulledFields: string[];
      readonly diffFields: string[];
    };
  };
  readonly event: { readonly replayId: number };
}

interface FayeSubscription {
  then(onSuccess: () => void, onError: (error: { message?: string; code?: number }) => void): void;
  cancel(): void;
}

interface FayeClient {
  subscribe(channel: string, listener: (message: ChangeEventMessage) => void): FayeSubscription;
  disconnect(): void;
}

/** A jsforce streaming client with the replay extension, collecting what it receives. */
class Subscriber {
  readonly received: ChangeEventMessage[] = [];
  private readonly client: FayeClient;
  private subscription?: FayeSubscription;

  constructor(conn: jsforce.Connection, replayFrom: number) {
    const replay = new StreamingExtension.Replay(CHANNEL, replayFrom);
    this.client = conn.streaming.createClient([replay]) as unknown as FayeClient;
  }

  subscribe(): Promise<void> {
    this.subscription = this.client.subscribe(CHANNEL, (message) => this.received.push(message));
    return new Promise((resolve, reject) =>
      this.subscription?.then(
        () => resolve(),
        (error) => reject(new Error(error.message ?? String(error))),
      ),
    );
  }

  async waitFor(count: number): Promise<ChangeEventMessage[]> {
    for (let i = 0; i < 200 && this.received.length < count; i += 1)
      await new Promise((r) => setTimeout(r, 50));
    return this.received;
  }

  close(): void {
    this.subscription?.cancel();
    this.client.disconnect();
  }
}

describe('jsforce streaming (CometD) against the Salesforce sandbox', () => {
  let sandbox: TestSandbox;
  let conn: jsforce.Connection;
  const subscribers: Subscriber[] = [];

  const subscriber = (replayFrom: number): Subscriber => {
    const s = new Subscriber(conn, replayFrom);
    subscribers.push(s);
    return s;
  };

  beforeAll(async () => {
    sandbox = await startTestSandbox();
    conn = await sandbox.connection({ client: 'px3-ingest-test' });
  });

  afterEach(() => {
    for (const s of subscribers.splice(0)) s.close();
  });

  afterAll(async () => {
    await sandbox?.close();
  });

  it('delivers CREATE and UPDATE change events with the documented header; UPDATE carries only changed fields', async () => {
    const live = subscriber(-1);
    await live.subscribe();
    const created = await conn
      .sobject('Account')
      .create({ Name: 'Streaming Co', Industry: 'Retail', BillingCity: 'Lyon' });
    await conn.sobject('Account').update({ Id: created.id as string, Name: 'Streaming Company' });
    const [create, update] = await live.waitFor(2);

    expect(create?.payload.ChangeEventHeader).toMatchObject({
      entityName: 'Account',
      recordIds: [created.id],
      changeType: 'CREATE',
      changedFields: [],
      changeOrigin: 'com/salesforce/api/rest/60.0;client=px3-ingest-test',
      sequenceNumber: 1,
      commitUser: expect.stringMatching(/^005/),
      nulledFields: [],
      diffFields: [],
    });
    expect(create?.payload).toMatchObject({
      Name: 'Streaming Co',
      Industry: 'Retail',
      BillingAddress: { City: 'Lyon' },
    });
    expect(typeof create?.payload.ChangeEventHeader.commitTimestamp).toBe('number');
    expect(typeof create?.payload.ChangeEventHeader.transactionKey).toBe('string');

    expect(update?.payload.ChangeEventHeader).toMatchObject({
      changeType: 'UPDATE',
      recordIds: [created.id],
    });
    expect(update?.payload.ChangeEventHeader.changedFields.sort()).toEqual(['LastModifiedDate', 'Name']);
    expect(update?.payload).toMatchObject({
      Name: 'Streaming Company',
      Industry: null,
      BillingAddress: null,
    });
    expect(update?.payload['LastModifiedDate']).toEqual(expect.any(String));
    expect((update?.event.replayId ?? 0) > (create?.event.replayId ?? 0)).toBe(true);
  });

  it('resumes from a stored replay id after a reconnect, without losing or repeating events', async () => {
    const first = subscriber(-1);
    await first.subscribe();
    const a = await conn.sobject('Account').create({ Name: 'Before Disconnect A' });
    const b = await conn.sobject('Account').create({ Name: 'Before Disconnect B' });
    const seen = await first.waitFor(2);
    expect(seen.map((m) => m.payload.ChangeEventHeader.recordIds[0])).toEqual([a.id, b.id]);
    const stored = seen[1]?.event.replayId as number;
    first.close();

    // Written while nobody listens.
    const c = await conn.sobject('Account').create({ Name: 'While Away C' });
    await conn.sobject('Account').update({ Id: c.id as string, Name: 'While Away C2' });

    const resumed = subscriber(stored);
    await resumed.subscribe();
    const d = await conn.sobject('Account').create({ Name: 'After Reconnect D' });
    const got = await resumed.waitFor(3);
    await new Promise((r) => setTimeout(r, 200));
    expect(
      got.map((m) => [m.payload.ChangeEventHeader.recordIds[0], m.payload.ChangeEventHeader.changeType]),
    ).toEqual([
      [c.id, 'CREATE'],
      [c.id, 'UPDATE'],
      [d.id, 'CREATE'],
    ]);
    const ids = got.map((m) => m.event.replayId);
    expect(ids[0]).toBe(stored + 1);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('-2 replays every retained event, -1 only new ones', async () => {
    await sandbox.admin('POST', '/reset');
    await conn.sobject('Account').create({ Name: 'Retained One' });
    await conn.sobject('Account').create({ Name: 'Retained Two' });
    const all = subscriber(-2);
    const fresh = subscriber(-1);
    await Promise.all([all.subscribe(), fresh.subscribe()]);
    const three = await conn.sobject('Account').create({ Name: 'New Three' });
    expect((await all.waitFor(3)).map((m) => m.payload['Name'])).toEqual([
      'Retained One',
      'Retained Two',
      'New Three',
    ]);
    expect((await fresh.waitFor(1)).map((m) => m.payload.ChangeEventHeader.recordIds[0])).toEqual([three.id]);
  });

  it("refuses a replay id outside the retention window with Salesforce's 400 error", async () => {
    await conn.sobject('Account').create({ Name: 'Soon Expired' });
    const latest = (
      (await sandbox.admin('GET', '/salesforce/change-events')).body as { latestReplayId: number }
    ).latestReplayId;
    await conn.sobject('Account').create({ Name: 'Also Expired' });
    expect((await sandbox.admin('POST', '/salesforce/change-events/expire', {})).status).toBe(200);
    const stale = subscriber(latest - 1);
    await expect(stale.subscribe()).rejects.toThrow(
      `The replayId {${latest - 1}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
    );
    // The newest expired id is still a valid place to resume: nothing after it was lost.
    const edge = subscriber(latest + 1);
    await expect(edge.subscribe()).resolves.toBeUndefined();
  });
});
