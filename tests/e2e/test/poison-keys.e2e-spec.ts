import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  CONSUMER_GROUPS,
  TOPICS,
  type ConsumerGroupDefinition,
  type SourceRecordChanged,
  type TopicDefinition,
} from '@pardot-x3/canonical';
import { TestMessaging } from '@pardot-x3/flow-testing';
import { flattenSourceFields } from '@pardot-x3/ingestion';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import { createTestDatabase, ServiceProcess, waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Crash isolation (issue 10, item 3): a record whose field names walk into `__proto__`, `constructor`
 * or `prototype` — on every source topic the transformer reads, and nested in a signed X3 webhook — is
 * dead-lettered with its reason or refused with a 400; no process exits, and a good record of the same
 * key (same partition, handled after it) still flows. The transformer and x3-ingest run as their own
 * processes, as in production: before the fix, the transformer polluted Object.prototype and exited.
 */

const BASE = 20070;
const X3_INGEST_PORT = BASE + 2;
const TRANSFORMER_PORT = BASE + 3;
const WEBHOOK_SECRET = 'poison-keys-webhook-secret';
const SAMPLES = join(findRepositoryRoot(), 'config', 'mappings', 'samples');

type Sample = Record<string, unknown>;

function sample(template: string): Sample {
  return JSON.parse(readFileSync(join(SAMPLES, `${template}.sample.json`), 'utf8')) as Sample;
}

/** A source event as the ingest services publish it: fields flattened to dotted paths, lines apart. */
function sourceEvent(
  system: SourceRecordChanged['system'],
  entity: string,
  recordId: string,
  record: Sample,
  lines?: { readonly table: string; readonly entity: string; readonly key: string },
): SourceRecordChanged {
  const { [lines?.table ?? '']: lineValue, ...rest } = record;
  const lineRecords = Array.isArray(lineValue)
    ? (lineValue as Sample[])
    : Array.isArray((lineValue as { records?: unknown } | undefined)?.records)
      ? (lineValue as { records: Sample[] }).records
      : [];
  return {
    system,
    sourceInstance: null,
    entity,
    recordId,
    changeType: 'UPDATED',
    changedAt: new Date('2026-11-20T14:05:12Z'),
    via: 'POLL',
    changedFields: [],
    fields: flattenSourceFields(rest),
    lines: lineRecords.map((line, index) => ({
      entity: lines?.entity ?? '',
      recordId: String(line[lines?.key ?? ''] ?? index + 1),
      fields: flattenSourceFields(line),
    })),
    origin: null,
  };
}

interface SourceCase {
  readonly topic: TopicDefinition<SourceRecordChanged>;
  readonly group: ConsumerGroupDefinition;
  readonly output: TopicDefinition<unknown>;
  readonly good: SourceRecordChanged;
}

const CASES: readonly SourceCase[] = [
  {
    topic: TOPICS.x3CustomerChangedV1,
    group: CONSUMER_GROUPS.transformerCustomerSources,
    output: TOPICS.customerObservationRecordedV1,
    // the sample's address lines are a list, which a source event carries as fields BPAADDLIG.0… (left out)
    good: sourceEvent('X3', 'BPCUSTOMER', 'C000123', {
      ...sample('x3-customer-to-canonical'),
      BPAADDLIG: null,
    }),
  },
  {
    topic: TOPICS.salesforceLeadChangedV1,
    group: CONSUMER_GROUPS.transformerCustomerSources,
    output: TOPICS.customerObservationRecordedV1,
    good: sourceEvent('SALESFORCE', 'Lead', '00Q5g00000Ab12CEAR', sample('salesforce-lead-to-canonical')),
  },
  {
    topic: TOPICS.salesforceContactChangedV1,
    group: CONSUMER_GROUPS.transformerCustomerSources,
    output: TOPICS.customerObservationRecordedV1,
    good: sourceEvent(
      'SALESFORCE',
      'Contact',
      '0035g00000XyZ01AAB',
      sample('salesforce-contact-to-canonical'),
    ),
  },
  {
    topic: TOPICS.salesforceAccountChangedV1,
    group: CONSUMER_GROUPS.transformerCustomerSources,
    output: TOPICS.customerObservationRecordedV1,
    good: sourceEvent(
      'SALESFORCE',
      'Account',
      '0015g00000Kq7RzAAJ',
      sample('salesforce-account-to-canonical'),
    ),
  },
  {
    topic: TOPICS.pardotProspectChangedV1,
    group: CONSUMER_GROUPS.transformerCustomerSources,
    output: TOPICS.customerObservationRecordedV1,
    good: sourceEvent('PARDOT', 'Prospect', '48213377', sample('pardot-prospect-to-canonical')),
  },
  {
    topic: TOPICS.salesforceOpportunityChangedV1,
    group: CONSUMER_GROUPS.transformerSalesOrders,
    output: TOPICS.salesOrderRequestedV1,
    good: sourceEvent(
      'SALESFORCE',
      'Opportunity',
      '0065g00000QwErTAAZ',
      sample('opportunity-to-sales-order-request'),
      { table: 'OpportunityLineItems', entity: 'OpportunityLineItem', key: 'Id' },
    ),
  },
  {
    topic: TOPICS.x3SalesOrderChangedV1,
    group: CONSUMER_GROUPS.transformerErpEvents,
    output: TOPICS.salesOrderCreatedV1,
    good: sourceEvent('X3', 'SORDER', 'SO0000042', sample('x3-sales-order-to-canonical'), {
      table: 'SORDERQ',
      entity: 'SORDERQ',
      key: 'SOPLIN',
    }),
  },
  {
    topic: TOPICS.x3DeliveryChangedV1,
    group: CONSUMER_GROUPS.transformerErpEvents,
    output: TOPICS.salesShipmentValidatedV1,
    good: sourceEvent('X3', 'SDELIVERY', 'SD0000007', sample('x3-delivery-to-canonical'), {
      table: 'SDELIVERYD',
      entity: 'SDELIVERYD',
      key: 'SDDLIN',
    }),
  },
  {
    topic: TOPICS.x3InvoiceChangedV1,
    group: CONSUMER_GROUPS.transformerErpEvents,
    output: TOPICS.salesInvoicePostedV1,
    good: sourceEvent('X3', 'SINVOICE', 'SI0000012', sample('x3-invoice-to-canonical')),
  },
  {
    topic: TOPICS.x3StockChangedV1,
    group: CONSUMER_GROUPS.transformerInventory,
    output: TOPICS.inventoryStockLevelChangedV1,
    good: sourceEvent('X3', 'ITMMVT', 'BMS-400~FR011', sample('x3-stock-to-canonical')),
  },
  {
    topic: TOPICS.pardotVisitorActivityRecordedV1,
    group: CONSUMER_GROUPS.transformerEngagement,
    output: TOPICS.engagementActivityRecordedV1,
    good: sourceEvent('PARDOT', 'VisitorActivity', '1042', sample('pardot-visitor-activity-to-canonical')),
  },
];

/**
 * The poisoned variant of a good record: a field path into `__proto__` (two shapes, alternating: a
 * top-level one and one under a nested record), a `constructor.prototype` path, and, where the record
 * has lines, a `__proto__` field on a line.
 */
function poisoned(good: SourceRecordChanged, index: number): SourceRecordChanged {
  const field = index % 2 === 0 ? '__proto__.px3Polluted' : 'Nested.__proto__.px3Polluted';
  return {
    ...good,
    recordId: `${good.recordId}`,
    fields: { ...good.fields, [field]: 'polluted', 'constructor.prototype.px3Polluted': 'polluted' },
    lines: good.lines.map((line) => ({
      ...line,
      fields: { ...line.fields, '__proto__.px3PollutedLine': 'polluted' },
    })),
  };
}

const OUTPUTS = [...new Set(CASES.map((c) => c.output))];

describe('crash isolation: __proto__ keys on every source topic and in a signed X3 webhook', () => {
  let messaging: TestMessaging;
  let database: { url: string; drop: () => Promise<void> };
  let transformer: ServiceProcess;
  let x3Ingest: ServiceProcess;

  beforeAll(async () => {
    database = await createTestDatabase('poison-keys');
    messaging = await TestMessaging.start({
      label: 'poison-keys',
      topics: [...CASES.map((c) => c.topic), ...OUTPUTS, TOPICS.x3NotificationReceivedV1],
      groups: [...new Set(CASES.map((c) => c.group)), CONSUMER_GROUPS.x3IngestNotifications],
      collect: [...OUTPUTS, TOPICS.x3CustomerChangedV1],
    });
    const common = {
      ...messaging.env(),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      PX3_CONFIG_DIR: join(findRepositoryRoot(), 'config'),
    };
    transformer = new ServiceProcess({
      app: 'transformer',
      env: { ...common, PORT: String(TRANSFORMER_PORT) },
      logName: 'poison-keys-transformer.log',
      readyTimeoutMs: 90_000,
    });
    x3Ingest = new ServiceProcess({
      app: 'x3-ingest',
      env: {
        ...common,
        PORT: String(X3_INGEST_PORT),
        DATABASE_URL: database.url,
        // Only the webhook is under test: no X3 answers here, and the poller waits a day.
        X3_BASE_URL: `http://127.0.0.1:${BASE + 300}`,
        X3_FOLDER: 'SEED',
        X3_USERNAME: 'PX3',
        X3_PASSWORD: 'unused',
        X3_WEBHOOK_SECRET: WEBHOOK_SECRET,
        X3_POLL_INTERVAL_MS: '86400000',
        X3_POLL_INITIAL_LOOKBACK_SECONDS: '0',
        X3_CUSTOMER_TURNOVER: 'false',
      },
      logName: 'poison-keys-x3-ingest.log',
      readyTimeoutMs: 90_000,
    });
    await Promise.all([transformer.start(), x3Ingest.start()]);
  });

  afterAll(async () => {
    await Promise.allSettled([transformer?.stop(), x3Ingest?.stop()]);
    await messaging?.close();
    await database?.drop();
  });

  it('dead-letters a __proto__ record of each source topic with its reason, keeps running, and maps the good record after it', async () => {
    for (const [index, c] of CASES.entries()) {
      await messaging.send(c.topic, poisoned(c.good, index));
      await messaging.send(c.topic, c.good);
    }
    for (const output of OUTPUTS) {
      const expected = CASES.filter((c) => c.output === output).length;
      await messaging.waitForEvents(output, (events) => events.length >= expected, {
        timeoutMs: 90_000,
        description: `${expected} good record(s) mapped to ${output.name} after the poisoned ones`,
      });
    }

    const inspector = await messaging.messaging.deadLetterInspector();
    const groups = [...new Set(CASES.map((c) => c.group.name))];
    const deadLetters = await waitFor(
      async () => {
        const entries = (await Promise.all(groups.map((group) => inspector.read(group)))).flat();
        return entries.length >= CASES.length ? entries : undefined;
      },
      { timeoutMs: 60_000, description: 'a dead letter per poisoned record' },
    );
    for (const c of CASES) {
      const entry = deadLetters.find(
        (d) => d.envelope.origin.topic === c.topic.name && d.envelope.consumerGroup === c.group.name,
      );
      expect(entry, `dead letter of ${c.topic.name}`).toBeDefined();
      expect(entry?.envelope.reason).toBe('NON_RETRIABLE_ERROR');
      expect(entry?.envelope.errorMessage).toMatch(/__proto__/);
      expect(entry?.envelope.errorMessage).toContain(c.good.recordId);
    }
    expect(deadLetters).toHaveLength(CASES.length);
    expect(transformer.running).toBe(true);
  });

  it('refuses a signed X3 webhook with a nested __proto__ with a 400 naming it, publishes nothing, and publishes the good one after it', async () => {
    const record = (extra: string): string =>
      `{"BPCNUM":"C00777","BPCNAM":"Poison Keys SARL","WEB":["poison@keys.example"],"CRY":"FR","CUR":"EUR",` +
      `"UPDDATTIM":"2026-11-20T09:15:00Z","UPDTICK":3${extra}}`;
    const notification = (extra: string, eventId: string): string =>
      `{"eventId":"${eventId}","folder":"SEED","class":"BPCUSTOMER","key":"C00777","changeType":"UPDATE",` +
      `"UPDDATTIM":"2026-11-20T09:15:00Z","UPDTICK":3,"record":${record(extra)}}`;
    const send = async (body: string): Promise<Response> => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(`${timestamp}.${body}`).digest('hex')}`;
      return fetch(`http://127.0.0.1:${X3_INGEST_PORT}/webhooks/x3`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-x3-timestamp': timestamp,
          'x-x3-signature': signature,
        },
        body,
      });
    };

    // JSON.parse makes `__proto__` an own property of the parsed object (not pollution by itself);
    // copying it into a normal object is what pollutes. Both shapes: nested in a field, and top-level.
    const refused = [
      notification(',"BPAADDLIG":{"__proto__":{"px3Polluted":"yes"}}', 'poison-1'),
      notification(',"__proto__":{"px3Polluted":"yes"}', 'poison-2'),
      notification(',"YFIELD":{"constructor":{"prototype":{"px3Polluted":"yes"}}}', 'poison-3'),
    ];
    for (const body of refused) {
      const response = await send(body);
      expect(response.status).toBe(400);
      const answer = (await response.json()) as { message?: unknown };
      expect(String(answer.message)).toMatch(/__proto__|constructor/);
      expect(String(answer.message)).toMatch(/not allowed/);
    }
    const good = await send(notification('', 'good-1'));
    expect(good.status).toBe(202);
    expect(await good.json()).toEqual({ status: 'queued' });
    const published = await messaging.waitForEvents(TOPICS.x3CustomerChangedV1, (events) =>
      events.some((e) => e.key === 'C00777'),
    );
    expect(published.filter((e) => e.key === 'C00777')).toHaveLength(1);
    expect(Object.keys(published.find((e) => e.key === 'C00777')?.value.fields ?? {})).not.toContainEqual(
      expect.stringMatching(/__proto__|constructor|prototype/),
    );
    await messaging.waitForEvents(TOPICS.customerObservationRecordedV1, (events) =>
      events.some((e) => (e.value as { sourceId?: string }).sourceId === 'C00777'),
    );
    expect(x3Ingest.running).toBe(true);
    expect(transformer.running).toBe(true);
  });
});
