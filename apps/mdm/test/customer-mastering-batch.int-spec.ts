import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  CONSUMER_GROUPS,
  TOPICS,
  type CustomerObservation,
  type GoldenCustomer,
  type Prospect,
} from '@pardot-x3/canonical';
import { parseMatchingPolicy, parseSurvivorshipPolicy } from '@pardot-x3/customer-master';
import { TestMessaging } from '@pardot-x3/flow-testing';
import { partitionForKey } from '@pardot-x3/messaging';
import { createLogger } from '@pardot-x3/observability';
import { createDataSource, runMigrations, type DataSource } from '@pardot-x3/persistence';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { createTestDatabase, waitFor } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppModule } from '../src/app.module.js';
import { GoldenCustomerStore } from '../src/customer-mastering/golden-customer.store.js';
import {
  MasterCustomerObservationUseCase,
  type MasteringResult,
} from '../src/customer-mastering/master-customer-observation.use-case.js';
import { mdmDatabase } from '../src/mdm.database.js';
import { mdmConfigSchema, type MdmConfig } from '../src/mdm.config.js';

const CONFIG_DIR = fileURLToPath(new URL('../../../config/', import.meta.url));
const PORT = 21042;
const T0 = Date.parse('2026-11-02T10:00:00Z');

const policies = {
  matching: parseMatchingPolicy(readFileSync(`${CONFIG_DIR}matching.yaml`, 'utf8'), 'matching.yaml'),
  survivorship: parseSurvivorshipPolicy(
    readFileSync(`${CONFIG_DIR}survivorship.yaml`, 'utf8'),
    'survivorship.yaml',
  ),
};

function observation(
  source: Pick<CustomerObservation, 'sourceSystem' | 'sourceEntity' | 'sourceId'>,
  at: number,
  fields: Partial<CustomerObservation> = {},
): CustomerObservation {
  return {
    ...source,
    observedAt: new Date(T0 + at),
    deleted: false,
    email: null,
    firstName: null,
    lastName: null,
    companyName: null,
    phone: null,
    address: null,
    customerCode: source.sourceSystem === 'X3' ? source.sourceId : null,
    customerGroup: null,
    currencyCode: null,
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
    ...fields,
  };
}

const x3 = (id: string) => ({ sourceSystem: 'X3', sourceEntity: 'BPCUSTOMER', sourceId: id }) as const;
const lead = (id: string) => ({ sourceSystem: 'SALESFORCE', sourceEntity: 'Lead', sourceId: id }) as const;
const prospect = (id: string) =>
  ({ sourceSystem: 'PARDOT', sourceEntity: 'Prospect', sourceId: id }) as const;

async function migratedDatabase(
  label: string,
): Promise<{ dataSource: DataSource; drop: () => Promise<void> }> {
  const database = await createTestDatabase(label);
  const logger = createLogger({ service: 'mdm', level: 'warn' });
  const dataSource = createDataSource({
    url: database.url,
    poolSize: 2,
    applicationName: 'mdm-test',
    entities: mdmDatabase.entities,
    migrations: mdmDatabase.migrations,
    logger,
  });
  await runMigrations(dataSource, logger);
  return {
    dataSource,
    drop: async () => {
      await dataSource.destroy();
      await database.drop();
    },
  };
}

/** What mdm stores, in a comparable form (times of the writes left out). */
async function storedState(dataSource: DataSource) {
  return {
    goldens: await dataSource.query(
      'SELECT golden_id, version, record, email, state, merged_into FROM mdm_golden_customer ORDER BY golden_id',
    ),
    keys: await dataSource.query('SELECT key, golden_id FROM mdm_customer_match_key ORDER BY key, golden_id'),
    sources: await dataSource.query(
      `SELECT source_system, source_entity, source_id, golden_id, observed_at, fields, deleted
         FROM mdm_customer_source_record ORDER BY source_system, source_entity, source_id`,
    ),
  };
}

/** The golden records a run publishes, by id: the last version published for each. */
function lastPublished(results: readonly MasteringResult[]): Map<string, GoldenCustomer> {
  const out = new Map<string, GoldenCustomer>();
  for (const result of results) {
    if (result.golden) out.set(result.golden.goldenId, result.golden);
    for (const id of result.retiredGoldenIds) out.delete(id);
  }
  return out;
}

describe('mdm: a batch of observations is mastered as one transaction each would master them', () => {
  // Two customers, two people's records arriving in one batch: attach, update, a record created and
  // absorbed within the batch (merge), a deletion, an unchanged re-read, a prospect.
  const scenario: CustomerObservation[] = [
    observation(x3('C0B1'), 1_000, { email: 'jane.doe@acme.example', phone: '+33142685300' }),
    observation(lead('00Q0000000000B1AAA'), 2_000, { email: 'jane.doe@acme.example', firstName: 'Jane' }),
    observation(x3('C0B1'), 3_000, { email: 'jane.doe@acme.example', phone: '+33142685301' }),
    observation(lead('00Q0000000000B2AAA'), 1_500, { email: 'j.doe@acme.example', lastName: 'Doe' }),
    observation(x3('C0B2'), 1_200, { email: 'bob@other.example', companyName: 'Other SA' }),
    observation(lead('00Q0000000000B2AAA'), 4_000, { email: 'jane.doe@acme.example', lastName: 'Doe' }),
    observation(lead('00Q0000000000B1AAA'), 5_000, { deleted: true, email: 'jane.doe@acme.example' }),
    observation(x3('C0B1'), 6_000, { email: 'jane.doe@acme.example', phone: '+33142685301' }),
    observation(prospect('100001'), 7_000, { email: 'jane.doe@acme.example', pardotScore: 42 }),
    observation(x3('C0B2'), 8_000, { email: 'bob@other.example', companyName: 'Other SAS' }),
  ];
  const inputs = scenario.map((o, i) => ({
    observation: o,
    eventId: `0193a0b0-0000-7000-8000-00000000000${i}`,
  }));
  const useCase = new MasterCustomerObservationUseCase(new GoldenCustomerStore(), policies);
  let batched: { dataSource: DataSource; drop: () => Promise<void> };
  let oneByOne: { dataSource: DataSource; drop: () => Promise<void> };

  beforeAll(async () => {
    batched = await migratedDatabase('mdm-batched');
    oneByOne = await migratedDatabase('mdm-one-by-one');
  });

  afterAll(async () => {
    await batched?.drop();
    await oneByOne?.drop();
  });

  it('gives the same golden records, match keys, source records and published versions', async () => {
    const batchResults = await batched.dataSource.transaction((manager) =>
      useCase.execute({ manager, observations: inputs }),
    );
    const singleResults: MasteringResult[] = [];
    for (const input of inputs)
      singleResults.push(
        ...(await oneByOne.dataSource.transaction((manager) =>
          useCase.execute({ manager, observations: [input] }),
        )),
      );

    const stored = await storedState(batched.dataSource);
    expect(stored).toEqual(await storedState(oneByOne.dataSource));
    expect(stored.goldens.map((g: { state: string }) => g.state).sort()).toEqual([
      'active',
      'active',
      'merged',
    ]);
    expect(lastPublished(batchResults)).toEqual(lastPublished(singleResults));
    expect(batchResults.map((r) => r.action)).toEqual(singleResults.map((r) => r.action));
    expect(batchResults.map((r) => r.action)).toEqual([
      'create',
      'update',
      'update',
      'create',
      'create',
      'merge',
      'deleted',
      'update',
      'update',
      'update',
    ]);
    // The same values again (C0B1 at +6 s) is stored (a newer source time) but not published.
    expect(singleResults[7]?.golden).toBeUndefined();
    // One mastered event per golden record the batch changed, on the last observation that changed it.
    expect(batchResults.filter((r) => r.golden).length).toBe(2);
    expect(batchResults.flatMap((r) => r.merges.map((m) => m.matchRule))).toEqual(['normalised-email']);
  });
});

describe('mdm: what is published through Kafka', () => {
  let messaging: TestMessaging;
  let database: { url: string; drop: () => Promise<void> };
  let app: ServiceApp<MdmConfig>;
  let db: DataSource;
  const partitionOf = (key: string) => partitionForKey(key, 3);
  const valid = x3('C0K1');
  // An X3 record that says it is a Salesforce Lead: refused by the customer master, on C0K1's partition.
  const invalidId = Array.from({ length: 200 }, (_, i) => `C0BAD${i}`).find(
    (id) => partitionOf(`X3:Lead:${id}`) === partitionOf(`X3:BPCUSTOMER:${valid.sourceId}`),
  ) as string;

  const mastered = (goldenId: string) =>
    messaging.events(TOPICS.customerGoldenRecordMasteredV1).filter((e) => e.key === goldenId);

  beforeAll(async () => {
    messaging = await TestMessaging.start({
      label: 'mdm-batch',
      topics: [
        TOPICS.customerObservationRecordedV1,
        TOPICS.customerGoldenRecordMasteredV1,
        TOPICS.customerGoldenRecordMergedV1,
        TOPICS.pardotProspectUpsertedV1,
        TOPICS.platformAuditRecordedV1,
      ],
      groups: [CONSUMER_GROUPS.mdmCustomerMastering, CONSUMER_GROUPS.mdmProspectLinks],
      collect: [TOPICS.customerGoldenRecordMasteredV1],
    });
    database = await createTestDatabase('mdm-batch');
    db = createDataSource({ url: database.url, poolSize: 1, applicationName: 'mdm-test' });
    // Waiting before mdm starts: read as one batch.
    await messaging.send(
      TOPICS.customerObservationRecordedV1,
      observation(valid, 1_000, { email: 'kim@batch.example', firstName: 'Kim' }),
    );
    await messaging.send(
      TOPICS.customerObservationRecordedV1,
      observation({ sourceSystem: 'X3', sourceEntity: 'Lead', sourceId: invalidId }, 1_000, {
        email: 'bad@batch.example',
      }),
    );
    await messaging.send(
      TOPICS.customerObservationRecordedV1,
      observation(valid, 2_000, { email: 'kim@batch.example', firstName: 'Kimberly' }),
    );
    app = await createServiceApp({
      service: 'mdm',
      configSchema: mdmConfigSchema,
      module: (config) => AppModule.register(config),
      env: messaging.serviceEnv(PORT, { DATABASE_URL: database.url, PX3_CONFIG_DIR: CONFIG_DIR }),
    });
    await app.listen();
    await db.initialize();
  });

  afterAll(async () => {
    await app?.shutdown();
    await db?.destroy();
    await messaging?.close();
    await database?.drop();
  });

  const goldenOf = async (sourceId: string) =>
    waitFor(
      async () => {
        const rows: { golden_id: string; observed_at: Date }[] = await db.query(
          `SELECT golden_id, observed_at FROM mdm_customer_source_record WHERE source_id = $1`,
          [sourceId],
        );
        return rows[0];
      },
      { timeoutMs: 45_000, description: `the source record ${sourceId}` },
    );

  it('dead-letters an observation it cannot master alone; the others of its batch are mastered', async () => {
    const dead = await waitFor(
      async () => {
        const letters = await (
          await messaging.messaging.deadLetterInspector()
        ).read(CONSUMER_GROUPS.mdmCustomerMastering.name);
        return letters.length > 0 ? letters : undefined;
      },
      { timeoutMs: 45_000, description: 'the dead letter of the invalid observation' },
    );
    expect(dead).toHaveLength(1);
    expect(dead[0]?.envelope.errorMessage).toContain('sourceEntity Lead does not come from X3');
    expect(dead[0]?.envelope.key?.toString()).toBe(`X3:Lead:${invalidId}`);
    const { golden_id: goldenId } = await goldenOf(valid.sourceId);
    const events = await messaging.waitForEvents(
      TOPICS.customerGoldenRecordMasteredV1,
      (all) => all.some((e) => e.key === goldenId && e.value?.firstName === 'Kimberly'),
      { description: `${goldenId} mastered with the second observation's name` },
    );
    expect(events.filter((e) => e.key === goldenId).length).toBeLessThanOrEqual(2);
  });

  it('publishes nothing for an observation that changes no value', async () => {
    const { golden_id: goldenId } = await goldenOf(valid.sourceId);
    const before = mastered(goldenId).length;
    await messaging.send(
      TOPICS.customerObservationRecordedV1,
      observation(valid, 9_000, { email: 'kim@batch.example', firstName: 'Kimberly' }),
    );
    await waitFor(
      async () => ((await goldenOf(valid.sourceId)).observed_at.getTime() === T0 + 9_000 ? true : undefined),
      { timeoutMs: 45_000, description: 'the re-read to be applied' },
    );
    expect(mastered(goldenId).length).toBe(before);
  });

  it('takes a Pardot prospect id coming back as a cross-reference without a new mastered version', async () => {
    const { golden_id: goldenId } = await goldenOf(valid.sourceId);
    const before = mastered(goldenId);
    const link: Prospect = {
      goldenId,
      prospectId: '700001',
      businessUnitId: null,
      email: 'kim@batch.example',
      firstName: 'Kimberly',
      lastName: null,
      company: null,
      salesforceLeadId: null,
      salesforceContactId: null,
      score: null,
      grade: null,
      customFields: {},
      created: true,
      upsertedAt: new Date(T0 + 10_000),
    };
    await messaging.send(TOPICS.pardotProspectUpsertedV1, link);
    const record = await waitFor(
      async () => {
        const rows: { record: { version: number; xrefs: { pardotProspectIds: string[] } } }[] =
          await db.query(`SELECT record FROM mdm_golden_customer WHERE golden_id = $1`, [goldenId]);
        const found = rows[0]?.record;
        return found?.xrefs.pardotProspectIds.includes('700001') ? found : undefined;
      },
      { timeoutMs: 45_000, description: 'the prospect id in the golden record' },
    );
    expect(record.version).toBe(before.at(-1)?.value?.version);
    // The Pardot poller reading our write back is no news either.
    await messaging.send(
      TOPICS.customerObservationRecordedV1,
      observation(prospect('700001'), 11_000, { email: 'kim@batch.example', firstName: 'Kimberly' }),
    );
    await goldenOf('700001').then(() =>
      waitFor(
        async () => ((await goldenOf('700001')).observed_at.getTime() === T0 + 11_000 ? true : undefined),
        { timeoutMs: 45_000, description: 'the prospect read back' },
      ),
    );
    expect(mastered(goldenId).length).toBe(before.length);

    // The next real change carries the prospect id.
    await messaging.send(
      TOPICS.customerObservationRecordedV1,
      observation(valid, 12_000, { email: 'kim@batch.example', firstName: 'Kim', phone: '+33612345678' }),
    );
    const next = await messaging.waitForEvents(
      TOPICS.customerGoldenRecordMasteredV1,
      (all) => all.filter((e) => e.key === goldenId).length > before.length,
      { description: 'the next mastered version' },
    );
    expect(next.filter((e) => e.key === goldenId).at(-1)?.value?.xrefs.pardotProspectIds).toEqual(['700001']);
  });
});
