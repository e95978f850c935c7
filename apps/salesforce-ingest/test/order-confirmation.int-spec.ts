import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import {
  CONSUMER_GROUPS,
  TOPICS,
  type ConsumerGroupDefinition,
  type SalesOrderReply,
  type SalesOrderRequested,
} from '@pardot-x3/canonical';
import { SandboxProcess, TestMessaging } from '@pardot-x3/flow-testing';
import { onEvent, type ConsumerRunner } from '@pardot-x3/messaging';
import { SalesforceClient } from '@pardot-x3/salesforce-connector';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { createTestDatabase, expectEveryRouteGuarded, testAccess, waitFor } from '@pardot-x3/testing';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import {
  salesforceIngestConfigSchema,
  type SalesforceIngestConfig,
} from '../src/salesforce-ingest.config.js';

const CONFIG_DIR = fileURLToPath(new URL('../../../config/', import.meta.url));
const PORT = 21011;
const TOKEN = 'order-confirmation-test-token';
const SALESFORCE_CLIENT = { id: 'PX3SandboxConsumerKey', secret: 'px3-sandbox-consumer-secret' };

/** Stands in for x3-order-writer: answers each request as the test decides, late for some. */
const replier: ConsumerGroupDefinition = {
  name: 'test.order-replier',
  description: 'answers order requests for the test',
  topics: [TOPICS.salesOrderRequestedV1.name],
  retryDelaysMs: [],
};

/**
 * The synchronous order confirmation of salesforce-ingest on the real stack and the Salesforce sandbox:
 * it reads the opportunity, sends the request and answers with what X3 replied — or with a status URL
 * that shows the reply once it comes.
 */
describe('salesforce-ingest: POST /orders/confirmations', () => {
  let messaging: TestMessaging;
  let salesforce: SandboxProcess;
  let app: ServiceApp<SalesforceIngestConfig>;
  let runner: ConsumerRunner;
  let database: { url: string; drop: () => Promise<void> };
  let won: string[];
  let open: string;
  const answers = new Map<string, { reply: (id: string) => SalesOrderReply; delayMs?: number }>();

  const post = (body: unknown, token = TOKEN) =>
    fetch(`http://127.0.0.1:${PORT}/orders/confirmations`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...testAccess().headers('operator'),
      },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    messaging = await TestMessaging.start({
      label: 'sfi-confirm',
      topics: [
        TOPICS.salesOrderRequestedV1,
        TOPICS.salesOrderRepliedV1,
        TOPICS.pardotProspectUpsertedV1,
        TOPICS.platformAuditRecordedV1,
      ],
      collect: [TOPICS.platformAuditRecordedV1],
      groups: [
        CONSUMER_GROUPS.salesforceIngestOrderConfirmations,
        CONSUMER_GROUPS.salesforceIngestPardotOwnWrites,
        replier,
      ],
    });
    database = await createTestDatabase('sfi-confirm');
    salesforce = await SandboxProcess.start('salesforce', 21111);
    runner = messaging.messaging.consumer({
      group: replier,
      readReplays: false,
      handlers: [
        onEvent(TOPICS.salesOrderRequestedV1, async (request: SalesOrderRequested, context) => {
          const answer = answers.get(request.opportunityId);
          if (!answer) return;
          if (answer.delayMs) await sleep(answer.delayMs);
          context.reply(TOPICS.salesOrderRepliedV1, answer.reply(request.opportunityId));
        }),
      ],
    });
    await runner.start();
    app = await createServiceApp({
      service: 'salesforce-ingest',
      configSchema: salesforceIngestConfigSchema,
      module: (config) => AppModule.register(config),
      env: messaging.serviceEnv(PORT, {
        DATABASE_URL: database.url,
        PX3_CONFIG_DIR: CONFIG_DIR,
        SALESFORCE_LOGIN_URL: salesforce.baseUrl,
        SALESFORCE_CLIENT_ID: SALESFORCE_CLIENT.id,
        SALESFORCE_CLIENT_SECRET: SALESFORCE_CLIENT.secret,
        SALESFORCE_CDC_ENABLED: 'false',
        PARDOT_BASE_URL: 'http://127.0.0.1:21299',
        PARDOT_BUSINESS_UNIT_ID: '0Uv5g000000PX3AAAA',
        PARDOT_POLL_INTERVAL_MS: '0',
        ORDER_CONFIRMATION_TOKEN: TOKEN,
        ORDER_CONFIRMATION_WAIT_MS: '1500',
      }),
    });
    await app.listen();
    const client = SalesforceClient.fromConfig(
      {
        SALESFORCE_LOGIN_URL: salesforce.baseUrl,
        SALESFORCE_API_VERSION: '62.0',
        SALESFORCE_CLIENT_ID: SALESFORCE_CLIENT.id,
        SALESFORCE_CLIENT_SECRET: SALESFORCE_CLIENT.secret,
        SALESFORCE_CALL_CLIENT_ID: 'confirmation-test',
        SALESFORCE_TIMEOUT_MS: 30_000,
      },
      { registry: new Registry() },
    );
    const opportunities = await client.queryAll<{
      Id: string;
      OpportunityLineItems: { totalSize: number } | null;
    }>(
      "SELECT Id, (SELECT Id FROM OpportunityLineItems) FROM Opportunity WHERE StageName = 'Closed Won' ORDER BY Id",
    );
    won = opportunities.filter((o) => (o.OpportunityLineItems?.totalSize ?? 0) > 0).map((o) => o.Id);
    expect(won.length).toBeGreaterThanOrEqual(3);
    const [notWon] = await client.queryAll<{ Id: string }>(
      "SELECT Id FROM Opportunity WHERE StageName != 'Closed Won' ORDER BY Id LIMIT 1",
    );
    open = notWon?.Id ?? '';
  });

  afterAll(async () => {
    await app?.shutdown('test end');
    await runner?.stop();
    await messaging?.close();
    await salesforce?.stop();
    await database?.drop();
  });

  it('answers 201 with the X3 order number', async () => {
    const [id = ''] = won;
    answers.set(id, { reply: (opportunityId) => createdReply(opportunityId, 'SO0000501') });
    const response = await post({ opportunityId: id });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      opportunityId: id,
      outcome: 'CREATED',
      orderNumber: 'SO0000501',
      x3CustomerCode: 'C00001',
      customerCreated: false,
    });
  });

  it('answers 422 with the typed reason of a rejection', async () => {
    const [, id = ''] = won;
    answers.set(id, { reply: (opportunityId) => rejectedReply(opportunityId) });
    const response = await post({ opportunityId: id });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      opportunityId: id,
      outcome: 'REJECTED',
      reason: 'UNKNOWN_PRODUCT',
      message: 'Sage X3 does not know the product code NOPE-1.',
      lines: [{ lineNumber: 1, productCode: 'NOPE-1', reason: 'UNKNOWN_PRODUCT' }],
    });
  });

  it('answers 202 with a status URL when X3 takes longer, and the URL shows the reply once it comes', async () => {
    const [, , id = ''] = won;
    answers.set(id, { reply: (opportunityId) => createdReply(opportunityId, 'SO0000503'), delayMs: 3_000 });
    const response = await post({ opportunityId: id });
    expect(response.status).toBe(202);
    const body = (await response.json()) as { statusUrl: string };
    expect(body).toEqual({ opportunityId: id, outcome: 'PENDING', statusUrl: `/orders/confirmations/${id}` });
    expect(response.headers.get('location')).toBe(body.statusUrl);
    const status = () =>
      fetch(`http://127.0.0.1:${PORT}${body.statusUrl}`, {
        headers: { authorization: `Bearer ${TOKEN}`, ...testAccess().headers('viewer') },
      });
    expect((await status()).status).toBe(202);
    const final = await waitFor(
      async () => {
        const answer = await status();
        return answer.status === 200 ? answer.json() : undefined;
      },
      { timeoutMs: 30_000, description: 'the late reply at the status URL' },
    );
    expect(final).toMatchObject({ outcome: 'CREATED', orderNumber: 'SO0000503' });
  });

  it('refuses a caller without the token, an id that is not an Opportunity, and says when there is no order to make', async () => {
    expect((await post({ opportunityId: won[0] }, 'wrong-token-wrong-token')).status).toBe(401);
    expect((await post({ opportunityId: 'not-an-id' })).status).toBe(400);
    expect((await post({ opportunityId: '006000000000NONE1A' })).status).toBe(404);
    const notEligible = await post({ opportunityId: open });
    expect(notEligible.status).toBe(409);
    expect(await notEligible.json()).toMatchObject({
      outcome: 'NOT_ELIGIBLE',
      reasons: [expect.stringMatching(/orders are created at "Closed Won"/)],
    });
  });

  it('needs credentials on every route but health and metrics: operator to confirm or backfill, viewer to read (issue 11)', async () => {
    await expectEveryRouteGuarded(app.nest, `http://127.0.0.1:${PORT}`, [
      'POST /orders/confirmations',
      'POST /salesforce/backfill',
    ]);
    // The platform credentials come first: the confirmation token alone is not enough any more.
    const tokenOnly = await fetch(`http://127.0.0.1:${PORT}/orders/confirmations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ opportunityId: won[0] }),
    });
    expect(tokenOnly.status).toBe(401);
    // Every operator action and refused attempt is on the audit topic: who, what, how it ended.
    await waitFor(
      () =>
        messaging
          .events(TOPICS.platformAuditRecordedV1)
          .some(
            (e) =>
              e.value?.actorId === 'api-key:test-operator' &&
              e.value.action === 'POST /orders/confirmations' &&
              e.value.outcome === 'SUCCEEDED',
          ),
      { timeoutMs: 15_000, description: 'the audit entry of a confirmation' },
    );
    const refused = messaging
      .events(TOPICS.platformAuditRecordedV1)
      .filter((e) => e.value?.action === 'POST /salesforce/backfill')
      .map((e) => e.value?.outcome);
    expect(refused).toEqual(expect.arrayContaining(['UNAUTHENTICATED', 'DENIED']));
  });

  it('answers 400 to a status id with a NUL byte or that is not an Opportunity id (it reached PostgreSQL: 500)', async () => {
    const status = (id: string) =>
      fetch(`http://127.0.0.1:${PORT}/orders/confirmations/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${TOKEN}`, ...testAccess().headers('viewer') },
      });
    for (const id of ['006000000000NUL\u00001A', 'x'.repeat(300), 'not-an-id']) {
      const response = await status(id);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { message: string }).message).toMatch(
        /^the order confirmation id is not valid: opportunityId: must be a Salesforce Opportunity id/,
      );
    }
    expect((await status('006000000000NONE1A')).status).toBe(404);
  });
});

function createdReply(opportunityId: string, orderNumber: string): SalesOrderReply {
  return {
    opportunityId,
    outcome: 'CREATED',
    created: {
      orderNumber,
      opportunityId,
      x3CustomerCode: 'C00001',
      customerCreated: false,
      customerEmail: null,
      orderDate: '2026-11-20',
      createdAt: new Date(),
      salesSite: null,
      totalAmount: null,
      lines: [],
    },
    rejected: null,
  };
}

function rejectedReply(opportunityId: string): SalesOrderReply {
  return {
    opportunityId,
    outcome: 'REJECTED',
    created: null,
    rejected: {
      opportunityId,
      reason: 'UNKNOWN_PRODUCT',
      message: 'Sage X3 does not know the product code NOPE-1.',
      lines: [
        {
          lineNumber: 1,
          productCode: 'NOPE-1',
          reason: 'UNKNOWN_PRODUCT',
          message: 'ITMREF NOPE-1 : Record does not exist',
          requestedQuantity: '1',
          availableQuantity: null,
        },
      ],
      rejectedAt: new Date(),
    },
  };
}
