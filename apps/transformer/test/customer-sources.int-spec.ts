import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CONSUMER_GROUPS,
  TOPICS,
  type CustomerObservation,
  type SourceRecordChanged,
} from '@pardot-x3/canonical';
import { TestMessaging } from '@pardot-x3/flow-testing';
import { flattenSourceFields } from '@pardot-x3/ingestion';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { transformerConfigSchema, type TransformerConfig } from '../src/transformer.config.js';

const CONFIG_DIR = fileURLToPath(new URL('../../../config/', import.meta.url));
const PORT = 21019;

/** An X3 customer change as x3-ingest publishes it; `fields` override the good defaults. */
function x3Customer(code: string, fields: SourceRecordChanged['fields'] = {}): SourceRecordChanged {
  return {
    system: 'X3',
    sourceInstance: null,
    entity: 'BPCUSTOMER',
    recordId: code,
    changeType: 'UPDATED',
    changedAt: new Date('2026-11-20T09:15:00Z'),
    via: 'POLL',
    changedFields: [],
    fields: {
      BPCNUM: code,
      BPCNAM: `${code} SARL`,
      BCGCOD: 'hvc',
      CUR: 'eur',
      PTE: '30DEOM',
      BPAADD: 'MAIN',
      BPAADDLIG: null,
      CTY: 'Paris',
      POSCOD: '75002',
      CRY: 'FR',
      CNTFNA: 'Jane',
      CNTLNA: 'Doe',
      'WEB.0': `${code.toLowerCase()}@acme-industrie.fr`,
      'TEL.0': '01 42 68 53 00',
      YTOTREVENUE: '184250.40',
      UPDDATTIM: '2026-11-20T09:15:00Z',
      ...fields,
    },
    lines: [],
    origin: null,
  };
}

function salesforceLead(): SourceRecordChanged {
  const sample = JSON.parse(
    readFileSync(`${CONFIG_DIR}mappings/samples/salesforce-lead-to-canonical.sample.json`, 'utf8'),
  ) as Record<string, unknown>;
  return {
    system: 'SALESFORCE',
    sourceInstance: null,
    entity: 'Lead',
    recordId: '00Q5g00000Ab12CEAR',
    changeType: 'UPDATED',
    changedAt: new Date('2026-11-20T09:15:00Z'),
    via: 'CDC',
    changedFields: [],
    fields: flattenSourceFields(sample),
    lines: [],
    origin: null,
  };
}

/**
 * The customer path in batches, on the real broker and registry: changes that arrive together are
 * mapped together (one batch per partition), each key's changes stay in order, and a record the
 * template refuses is dead-lettered alone with every field problem named while the rest of its batch
 * is mapped.
 */
describe('transformer: customer records in batches', () => {
  let messaging: TestMessaging;
  let app: ServiceApp<TransformerConfig> | undefined;
  const CUSTOMERS = 40;
  const codes = Array.from({ length: CUSTOMERS }, (_, i) => `C${String(i).padStart(5, '0')}`);
  const REVISED = 'C00007';

  beforeAll(async () => {
    messaging = await TestMessaging.start({
      label: 'transformer-customers',
      topics: [
        TOPICS.x3CustomerChangedV1,
        TOPICS.salesforceLeadChangedV1,
        TOPICS.salesforceContactChangedV1,
        TOPICS.salesforceAccountChangedV1,
        TOPICS.pardotProspectChangedV1,
        TOPICS.salesforceOpportunityChangedV1,
        TOPICS.x3SalesOrderChangedV1,
        TOPICS.x3DeliveryChangedV1,
        TOPICS.x3InvoiceChangedV1,
        TOPICS.x3StockChangedV1,
        TOPICS.pardotVisitorActivityRecordedV1,
        TOPICS.salesOrderRequestedV1,
        TOPICS.salesOrderCreatedV1,
        TOPICS.salesShipmentValidatedV1,
        TOPICS.salesInvoicePostedV1,
        TOPICS.inventoryStockLevelChangedV1,
        TOPICS.engagementActivityRecordedV1,
      ],
      groups: [
        CONSUMER_GROUPS.transformerCustomerSources,
        CONSUMER_GROUPS.transformerSalesOrders,
        CONSUMER_GROUPS.transformerErpEvents,
        CONSUMER_GROUPS.transformerInventory,
        CONSUMER_GROUPS.transformerEngagement,
      ],
      collect: [TOPICS.customerObservationRecordedV1],
    });
  });

  afterAll(async () => {
    await app?.shutdown('test end');
    await messaging?.close();
  });

  it('maps a burst in batches: per-key order kept, a refused record dead-lettered alone with its field problems', async () => {
    // Written before the service starts, so that each partition's changes reach it as one batch.
    const changes = codes.map((code) => {
      if (code === 'C00011') return x3Customer(code, { 'WEB.0': 'not-an-email' });
      if (code === 'C00023') return x3Customer(code, { CRY: 'ZZ', CUR: 'XYZ' });
      // An invalid optional field is left out and flagged, not refused (field-level quarantine, ADR 0135).
      if (code === 'C00031') return x3Customer(code, { 'TEL.0': 'call me maybe' });
      return x3Customer(code);
    });
    // Three versions of one customer, among the others: mapped in this order.
    changes.splice(
      20,
      0,
      ...['Revised One', 'Revised Two', 'Revised Three'].map((name) => x3Customer(REVISED, { BPCNAM: name })),
    );
    const sent = await messaging.messaging.producer.sendAll(
      changes.map((value) => ({ topic: TOPICS.x3CustomerChangedV1, value })),
    );
    await messaging.send(TOPICS.salesforceLeadChangedV1, salesforceLead());

    app = await createServiceApp({
      service: 'transformer',
      configSchema: transformerConfigSchema,
      module: (config) => AppModule.register(config),
      env: messaging.serviceEnv(PORT, { PX3_CONFIG_DIR: CONFIG_DIR }),
    });
    await app.listen();

    const expected = changes.length - 2 + 1;
    const observations = await messaging.waitForEvents(
      TOPICS.customerObservationRecordedV1,
      (events) => events.length >= expected,
      { description: `${expected} observations` },
    );
    const inspector = await messaging.messaging.deadLetterInspector();
    const deadLetters = await waitFor(
      async () => {
        const found = await inspector.read(CONSUMER_GROUPS.transformerCustomerSources.name);
        return found.length >= 2 ? found : undefined;
      },
      { description: 'the two refused customers dead-lettered' },
    );
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(messaging.events(TOPICS.customerObservationRecordedV1)).toHaveLength(expected);
    expect(await inspector.read(CONSUMER_GROUPS.transformerCustomerSources.name)).toHaveLength(2);

    const bySource = (id: string) =>
      observations.filter((o) => (o.value as CustomerObservation).sourceId === id);
    for (const code of codes.filter((c) => c !== 'C00011' && c !== 'C00023' && c !== REVISED))
      expect(bySource(code), code).toHaveLength(1);
    expect(bySource('C00011')).toEqual([]);
    expect(bySource('C00023')).toEqual([]);
    expect(bySource(REVISED).map((o) => (o.value as CustomerObservation).companyName)).toEqual([
      `${REVISED} SARL`,
      'Revised One',
      'Revised Two',
      'Revised Three',
    ]);
    expect(bySource('00Q5g00000Ab12CEAR')).toHaveLength(1);
    // Each observation is caused by its source event, with an id derived from it.
    const sourceIds = new Set(sent.map((s) => s.eventId));
    const x3Observations = observations.filter((o) => (o.value as CustomerObservation).sourceSystem === 'X3');
    expect(x3Observations.every((o) => sourceIds.has(o.metadata.causationId ?? ''))).toBe(true);
    expect(new Set(x3Observations.map((o) => o.metadata.eventId)).size).toBe(x3Observations.length);

    const email = deadLetters.find((d) => d.envelope.key?.toString() === 'C00011')?.envelope;
    const place = deadLetters.find((d) => d.envelope.key?.toString() === 'C00023')?.envelope;
    expect(email?.reason).toBe('NON_RETRIABLE_ERROR');
    expect(email?.errorMessage).toContain('C00011');
    expect(email?.errorMessage).toMatch(/email: .*\(from WEB\.0\) is not a valid email address/);
    expect(place?.reason).toBe('NON_RETRIABLE_ERROR');
    expect(place?.errorMessage).toMatch(/address\.countryCode: .*\(from CRY\) is not a known country/);
    expect(place?.errorMessage).toMatch(/currencyCode: .*\(from CUR\) is not an ISO 4217 currency code/);

    const [quarantined] = bySource('C00031').map((o) => o.value as CustomerObservation);
    expect(quarantined).toMatchObject({ phone: null, email: 'c00031@acme-industrie.fr' });
    expect(quarantined?.clearedFields).not.toContain('phone');
    expect(quarantined?.quarantinedFields).toEqual([
      { field: 'phone', rule: 'invalid-phone', reason: 'is not a phone number', sourceField: 'TEL.0' },
    ]);
    expect(bySource('C00001').map((o) => (o.value as CustomerObservation).quarantinedFields)).toEqual([[]]);
    const metrics = await (await fetch(`http://127.0.0.1:${PORT}/metrics`)).text();
    expect(metrics).toMatch(
      /px3_mapping_fields_quarantined_total\{source="X3",entity="BPCUSTOMER",field="phone",rule="invalid-phone"[^}]*\} [1-9]/,
    );
  });
});
