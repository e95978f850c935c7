import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOPICS } from '@pardot-x3/canonical';
import { stackEnv, waitFor } from '@pardot-x3/testing';
import { CustomerFlowWorld, PARDOT_BUSINESS_UNIT, type RawMessage } from './customer-flow.fixture.js';

/**
 * The walking skeleton of the customer flow, every service its own process on the real Kafka, schema
 * registry and PostgreSQL: a customer changed in Sage X3 is POSTed (HMAC-signed) to x3-ingest's
 * webhook → source event → transformer → canonical observation → mdm (golden record row in PostgreSQL)
 * → mastered customer → pardot-writer → the Pardot sandbox's prospect upsert, with the X3 values in
 * the prospect's custom fields. Every payload on the way is Confluent wire format whose schema id
 * resolves in the registry.
 */

const CUSTOMER = 'C00003';
let world: CustomerFlowWorld;
let email: string;

interface Decoded {
  readonly schemaId: number;
  readonly value: Record<string, unknown>;
}

/** What any consumer outside pardot-x3 would do: read the wire format by hand, fetch the schema by id. */
async function decodeFromRegistry(bytes: Buffer): Promise<Decoded> {
  expect(bytes.readUInt8(0)).toBe(0);
  const schemaId = bytes.readInt32BE(1);
  const response = await fetch(`${stackEnv().SCHEMA_REGISTRY_URL}/schemas/ids/${schemaId}`);
  expect(response.status).toBe(200);
  const { schema } = (await response.json()) as { schema: string };
  const value = avro.Type.forSchema(JSON.parse(schema) as avro.Schema).fromBuffer(
    bytes.subarray(5),
  ) as Record<string, unknown>;
  return { schemaId, value };
}

describe('walking skeleton: an X3 customer change reaches its Pardot prospect through the six services', () => {
  beforeAll(async () => {
    world = await CustomerFlowWorld.start({
      label: 'walking-skeleton',
      basePort: 20000,
      // Webhooks only: the skeleton is the webhook path (the poller would race it for the same version).
      serviceEnv: { 'x3-ingest': { X3_POLL_CLASSES: '' } },
      seedCounts: {
        companies: 5,
        contacts: 10,
        leads: 2,
        products: 3,
        opportunities: 0,
        visitorActivities: 0,
      },
    });
    const customer = await world.x3Api<{ WEB: string }>(
      'GET',
      `BPCUSTOMER('${CUSTOMER}')?representation=BPCUSTOMER.$details`,
    );
    email = customer.WEB;
  }, 240_000);

  afterAll(async () => {
    await world?.stop();
  });

  it('upserts the prospect with the X3 values in its custom fields', async () => {
    await world.x3Api('PUT', `BPCUSTOMER('${CUSTOMER}')?representation=BPCUSTOMER.$edit`, {
      BCGCOD: 'KEY',
      CTY: 'Grenoble',
    });
    const upsert = await waitFor(
      async () =>
        (await world.pardot.ledger('POST /api/v5/objects/prospects/do/upsertLatestByEmail')).find((entry) => {
          const body = entry.requestBody as
            { matchEmail?: string; prospect?: Record<string, unknown> } | undefined;
          return body?.matchEmail === email && body.prospect?.['Customer_Group__c'] === 'KEY';
        }),
      { timeoutMs: 90_000, description: `the prospect upsert of ${CUSTOMER} in the Pardot ledger` },
    );
    expect(upsert.status).toBeLessThan(300);
    expect((upsert.requestBody as { prospect: Record<string, unknown> }).prospect).toMatchObject({
      email,
      city: 'Grenoble',
      ERP_Customer_Code__c: CUSTOMER,
      Customer_Group__c: 'KEY',
      Credit_Status__c: 'Under review',
    });
    const prospects = await fetch(`${world.pardot.baseUrl}/__admin/state`, {
      headers: { 'x-admin-token': 'flow-tests-admin-token' },
    });
    expect(prospects.status).toBe(200);
  });

  it('keeps a golden record row for the customer in PostgreSQL', async () => {
    const rows = await waitFor(
      async () => {
        const found = await world.query<{
          golden_id: string;
          email: string;
          record: { xrefs: { x3CustomerCodes: string[]; pardotProspectIds: string[] } };
        }>(
          `SELECT golden_id, email, record FROM mdm_golden_customer WHERE state = 'active' AND record->'xrefs'->'x3CustomerCodes' ? $1`,
          [CUSTOMER],
        );
        return found.length > 0 && found[0]?.record.xrefs.pardotProspectIds.length ? found : undefined;
      },
      { timeoutMs: 60_000, description: 'the golden record, linked to its prospect' },
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.email).toBe(email.toLowerCase());
    const sources = await world.query<{ source_system: string; source_entity: string; source_id: string }>(
      `SELECT source_system, source_entity, source_id FROM mdm_customer_source_record WHERE golden_id = $1 ORDER BY source_system`,
      [rows[0]?.golden_id],
    );
    expect(sources.map((s) => `${s.source_system}:${s.source_entity}`)).toEqual([
      'PARDOT:Prospect',
      `X3:BPCUSTOMER`,
    ]);
    const golden = await fetch(`${world.url('mdm')}/golden-customers/${rows[0]?.golden_id}`, {
      headers: world.auth(),
    });
    expect(golden.status).toBe(200);
    expect(await golden.json()).toMatchObject({ fields: { customerCode: CUSTOMER, customerGroup: 'KEY' } });
  });

  it('carries every event in Confluent wire format, with schema ids that resolve in the registry', async () => {
    const hasKey = (key: string) => (messages: readonly RawMessage[]) => messages.some((m) => m.key === key);
    const [source] = (await world.rawMessages(TOPICS.x3CustomerChangedV1, hasKey(CUSTOMER))).filter(
      (m) => m.key === CUSTOMER,
    );
    const sourceEvent = await decodeFromRegistry(source?.value as Buffer);
    expect(sourceEvent.value).toMatchObject({
      system: 'X3',
      entity: 'BPCUSTOMER',
      recordId: CUSTOMER,
      via: 'WEBHOOK',
    });
    expect((sourceEvent.value['fields'] as Record<string, unknown>)['CTY']).toBe('Grenoble');

    const observationKey = `X3:BPCUSTOMER:${CUSTOMER}`;
    const [observation] = (
      await world.rawMessages(TOPICS.customerObservationRecordedV1, hasKey(observationKey))
    ).filter((m) => m.key === observationKey);
    const observationEvent = await decodeFromRegistry(observation?.value as Buffer);
    expect(observationEvent.value).toMatchObject({
      sourceSystem: 'X3',
      sourceEntity: 'BPCUSTOMER',
      sourceId: CUSTOMER,
      customerCode: CUSTOMER,
    });

    const [goldenRow] = await world.query<{ golden_id: string }>(
      `SELECT golden_id FROM mdm_golden_customer WHERE record->'xrefs'->'x3CustomerCodes' ? $1`,
      [CUSTOMER],
    );
    const goldenId = goldenRow?.golden_id ?? '';
    const goldens = (await world.rawMessages(TOPICS.customerGoldenRecordMasteredV1, hasKey(goldenId))).filter(
      (m) => m.key === goldenId,
    );
    const golden = await decodeFromRegistry(goldens.at(-1)?.value as Buffer);
    expect(golden.value).toMatchObject({ goldenId, customerCode: CUSTOMER });

    const schemaIds = new Set([sourceEvent.schemaId, observationEvent.schemaId, golden.schemaId]);
    expect(schemaIds.size).toBe(3);
    const prospect = (await world.rawMessages(TOPICS.pardotProspectUpsertedV1, hasKey(goldenId))).find(
      (m) => m.key === goldenId,
    );
    const prospectEvent = await decodeFromRegistry(prospect?.value as Buffer);
    expect(prospectEvent.value).toMatchObject({ goldenId, businessUnitId: PARDOT_BUSINESS_UNIT });
  });

  it("does not read pardot-x3's own writes back as changes (Pardot and X3 echoes)", async () => {
    // Pardot: the prospect our upsert changed is read by the poller (its updatedAt is new) and dropped.
    const [prospectId] = (
      await world.query<{ id: string }>(
        `SELECT jsonb_array_elements_text(record->'xrefs'->'pardotProspectIds') AS id FROM mdm_golden_customer
          WHERE state = 'active' AND record->'xrefs'->'x3CustomerCodes' ? $1`,
        [CUSTOMER],
      )
    ).map((r) => r.id);
    expect(prospectId).toBeDefined();
    await waitFor(
      async () =>
        (await world.metric('salesforce-ingest', 'px3_source_echoes_dropped_total', { system: 'pardot' })) >
        0,
      { timeoutMs: 30_000, description: 'the Pardot poller dropping the echo of our prospect write' },
    );
    const prospectEvents = await world.allMessages(TOPICS.pardotProspectChangedV1);
    expect(prospectEvents.filter((m) => m.key === prospectId)).toEqual([]);

    // X3: a change made as pardot-x3's own X3 user (as x3-order-writer writes) is an echo, not a change.
    const echoesBefore = await world.metric('x3-ingest', 'px3_source_echoes_dropped_total', { system: 'x3' });
    const auth = Buffer.from('px3:px3-sandbox').toString('base64');
    const response = await fetch(
      `http://127.0.0.1:20300/api1/x3/erp/SEED/BPCUSTOMER('${CUSTOMER}')?representation=BPCUSTOMER.$edit`,
      {
        method: 'PUT',
        headers: { authorization: `Basic ${auth}`, 'content-type': 'application/json' },
        body: JSON.stringify({ BPCSHO: 'OWNWRITE' }),
      },
    );
    expect(response.status).toBe(200);
    await waitFor(
      async () =>
        (await world.metric('x3-ingest', 'px3_source_echoes_dropped_total', { system: 'x3' })) > echoesBefore,
      { timeoutMs: 30_000, description: 'x3-ingest dropping the echo' },
    );
    const sourceEvents = await world.allMessages(TOPICS.x3CustomerChangedV1);
    const decoded = await Promise.all(
      sourceEvents.filter((m) => m.key === CUSTOMER).map((m) => decodeFromRegistry(m.value as Buffer)),
    );
    expect(decoded.some((d) => (d.value['fields'] as Record<string, unknown>)['BPCSHO'] === 'OWNWRITE')).toBe(
      false,
    );
  });
});
