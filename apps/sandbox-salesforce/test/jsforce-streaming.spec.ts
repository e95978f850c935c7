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
  setHeader(name: string, value: string): void;
}

/** A jsforce streaming client with the replay extension, collecting what it receives. */
class Subscriber {
  readonly received: ChangeEventMessage[] = [];
  private readonly client: FayeClient;
  private subscription?: FayeSubscription;

  readonly authFailures: unknown[] = [];

  constructor(
    conn: jsforce.Connection,
    replayFrom: number,
    private readonly channel = CHANNEL,
  ) {
    const replay = new StreamingExtension.Replay(channel, replayFrom);
    const authFailure = new StreamingExtension.AuthFailure((message: unknown) =>
      this.authFailures.push(message),
    );
    this.client = conn.streaming.createClient([replay, authFailure]) as unknown as FayeClient;
  }

  /** Replaces the session the client sends (as if the token had been revoked or had expired). */
  useToken(token: string): void {
    this.client.setHeader('Authorization', `OAuth ${token}`);
  }

  subscribe(): Promise<void> {
    this.subscription = this.client.subscribe(this.channel, (message) => this.received.push(message));
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

  const subscriber = (replayFrom: number, channel = CHANNEL, connection = conn): Subscriber => {
    const s = new Subscriber(connection, replayFrom, channel);
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

  it('carries DELETE, UNDELETE and GAP events on the all-changes channel, other objects included', async () => {
    const everything = subscriber(-1, '/data/ChangeEvents');
    await everything.subscribe();
    const lead = await conn.sobject('Lead').create({ LastName: 'Cycle', Company: 'Loop Ltd' });
    await conn.sobject('Lead').destroy(lead.id as string);
    expect((await sandbox.admin('POST', `/salesforce/undelete/Lead/${lead.id}`)).status).toBe(200);
    expect(
      (
        await sandbox.admin('POST', '/salesforce/change-events/gap', {
          entityName: 'Lead',
          recordIds: [lead.id],
          changeType: 'GAP_UPDATE',
        })
      ).status,
    ).toBe(201);
    const got = await everything.waitFor(4);
    expect(
      got.map((m) => [m.payload.ChangeEventHeader.entityName, m.payload.ChangeEventHeader.changeType]),
    ).toEqual([
      ['Lead', 'CREATE'],
      ['Lead', 'DELETE'],
      ['Lead', 'UNDELETE'],
      ['Lead', 'GAP_UPDATE'],
    ]);
    expect(got[1]?.payload).toMatchObject({ Company: null, Name: null });
    expect(got[2]?.payload).toMatchObject({
      Company: 'Loop Ltd',
      Name: { LastName: 'Cycle' },
      ChangeEventHeader: { changeOrigin: '' },
    });
  });

  it("refuses an unknown channel with Salesforce's 400 error", async () => {
    const wrong = subscriber(-1, '/data/WidgetChangeEvent');
    await expect(wrong.subscribe()).rejects.toThrow(
      'The channel you requested to subscribe to does not exist {/data/WidgetChangeEvent}',
    );
  });

  it('re-handshakes a forgotten client and resumes after the last event it received', async () => {
    const durable = subscriber(-1);
    await durable.subscribe();
    const before = await conn.sobject('Account').create({ Name: 'Before Restart' });
    await durable.waitFor(1);
    expect((await sandbox.admin('DELETE', '/salesforce/streaming/clients')).status).toBe(200);
    const during = await conn.sobject('Account').create({ Name: 'While Forgotten' });
    const after = await conn.sobject('Account').create({ Name: 'After Restart' });
    const got = await durable.waitFor(3);
    expect(got.map((m) => m.payload.ChangeEventHeader.recordIds[0])).toEqual([
      before.id,
      during.id,
      after.id,
    ]);
  });

  it('tells a client whose session became invalid 401::Authentication invalid with reconnect none', async () => {
    const revoked = subscriber(-1);
    await revoked.subscribe();
    revoked.useToken('00D5g000004SbxA!revoked.token');
    await conn.sobject('Account').create({ Name: 'Wakes The Poll' });
    for (let i = 0; i < 100 && revoked.authFailures.length === 0; i += 1)
      await new Promise((r) => setTimeout(r, 50));
    expect(revoked.authFailures[0]).toMatchObject({
      channel: '/meta/connect',
      error: '401::Authentication invalid',
      advice: { reconnect: 'none' },
      successful: false,
    });
  });

  it('denies a handshake with an invalid session: 403::Handshake denied, failureReason 401::Authentication invalid', async () => {
    const res = await fetch(`${sandbox.url}/cometd/60.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'OAuth 00D5g000004SbxA!expired.token' },
      body: JSON.stringify([
        { channel: '/meta/handshake', version: '1.0', supportedConnectionTypes: ['long-polling'], id: '1' },
      ]),
    });
    expect(await res.json()).toEqual([
      {
        ext: { sfdc: { failureReason: '401::Authentication invalid' } },
        advice: { reconnect: 'none' },
        channel: '/meta/handshake',
        id: '1',
        error: '403::Handshake denied',
        successful: false,
      },
    ]);
    const unknown = await fetch(`${sandbox.url}/cometd/60.0`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `OAuth ${await sandbox.token()}` },
      body: JSON.stringify([
        { channel: '/meta/connect', clientId: 'nobody', connectionType: 'long-polling', id: '2' },
      ]),
    });
    expect(await unknown.json()).toEqual([
      {
        advice: { reconnect: 'handshake', interval: 0 },
        channel: '/meta/connect',
        id: '2',
        error: '403::Unknown client',
        successful: false,
      },
    ]);
  });
});
