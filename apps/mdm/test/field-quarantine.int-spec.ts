import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CustomerObservation, QuarantinedField } from '@pardot-x3/canonical';
import { parseMatchingPolicy, parseSurvivorshipPolicy } from '@pardot-x3/customer-master';
import { createLogger } from '@pardot-x3/observability';
import { createDataSource, runMigrations, type DataSource } from '@pardot-x3/persistence';
import { createTestDatabase } from '@pardot-x3/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GoldenCustomerStore } from '../src/customer-mastering/golden-customer.store.js';
import { MasterCustomerObservationUseCase } from '../src/customer-mastering/master-customer-observation.use-case.js';
import { FieldQuarantineStore } from '../src/data-quality/field-quarantine.store.js';
import { mdmDatabase } from '../src/mdm.database.js';

const CONFIG_DIR = fileURLToPath(new URL('../../../config/', import.meta.url));
const T0 = Date.parse('2026-11-02T10:00:00Z');
const policies = {
  matching: parseMatchingPolicy(readFileSync(`${CONFIG_DIR}matching.yaml`, 'utf8'), 'matching.yaml'),
  survivorship: parseSurvivorshipPolicy(
    readFileSync(`${CONFIG_DIR}survivorship.yaml`, 'utf8'),
    'survivorship.yaml',
  ),
};
const BAD_PHONE: QuarantinedField = {
  field: 'phone',
  rule: 'invalid-phone',
  reason: 'is not a valid phone number for US',
  sourceField: 'TEL',
};

function observation(
  sourceId: string,
  at: number,
  fields: Partial<CustomerObservation> = {},
): CustomerObservation {
  return {
    sourceSystem: 'X3',
    sourceEntity: 'BPCUSTOMER',
    sourceId,
    observedAt: new Date(T0 + at),
    deleted: false,
    email: `${sourceId.toLowerCase()}@quarantine.example`,
    firstName: null,
    lastName: null,
    companyName: null,
    phone: null,
    address: null,
    customerCode: sourceId,
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

/**
 * mdm's data-quality record (ADR 0135) on a real PostgreSQL: the fields each source record's newest
 * observation left out, written in the transaction that masters the batch, read per golden record.
 */
describe('mdm: the quarantined fields of each source record', () => {
  const master = new MasterCustomerObservationUseCase(new GoldenCustomerStore(), policies);
  const quarantine = new FieldQuarantineStore();
  let dataSource: DataSource;
  let drop: () => Promise<void>;
  let eventNo = 0;

  /** One batch, as the handler applies it: mastered, then recorded, in one transaction. */
  const apply = (...observations: CustomerObservation[]): Promise<string | undefined> =>
    dataSource.transaction(async (manager) => {
      const results = await master.execute({
        manager,
        observations: observations.map((o) => ({
          observation: o,
          eventId: `0193a0b0-0000-7000-8000-${String((eventNo += 1)).padStart(12, '0')}`,
        })),
      });
      await quarantine.record(manager, observations);
      return results.at(-1)?.goldenId;
    });
  const flagged = async (goldenId: string | undefined) =>
    (await quarantine.forGolden(dataSource.manager, goldenId ?? '')).map(
      ({ sourceId, field, rule, reason, sourceField }) => ({ sourceId, field, rule, reason, sourceField }),
    );

  beforeAll(async () => {
    const database = await createTestDatabase('mdm-quarantine');
    const logger = createLogger({ service: 'mdm', level: 'warn' });
    dataSource = createDataSource({
      url: database.url,
      poolSize: 2,
      applicationName: 'mdm-test',
      entities: mdmDatabase.entities,
      migrations: mdmDatabase.migrations,
      logger,
    });
    await runMigrations(dataSource, logger);
    drop = async () => {
      await dataSource.destroy();
      await database.drop();
    };
  });

  afterAll(async () => {
    await drop?.();
  });

  it('shows a quarantined field on the golden record, keeps it for an older observation, clears it when corrected', async () => {
    const goldenId = await apply(observation('CQ1', 1_000, { quarantinedFields: [BAD_PHONE] }));
    expect(await flagged(goldenId)).toEqual([{ sourceId: 'CQ1', ...BAD_PHONE }]);

    // An older version of the record arriving late says nothing about the current one.
    await apply(observation('CQ1', 500));
    expect(await flagged(goldenId)).toEqual([{ sourceId: 'CQ1', ...BAD_PHONE }]);

    // The newest version has a valid phone: the flag goes.
    await apply(observation('CQ1', 2_000, { phone: '+12015550123' }));
    expect(await flagged(goldenId)).toEqual([]);
  });

  it('takes the last observation of a record within a batch, and lists the flags of every source of the golden record', async () => {
    const goldenId = await apply(
      observation('CQ2', 1_000),
      observation('CQ2', 2_000, { quarantinedFields: [BAD_PHONE] }),
    );
    expect(await flagged(goldenId)).toEqual([{ sourceId: 'CQ2', ...BAD_PHONE }]);

    // A Salesforce Lead of the same person joins the golden record with a bad phone of its own.
    const leadGolden = await apply({
      ...observation('CQ2', 3_000, {
        quarantinedFields: [{ ...BAD_PHONE, reason: 'is not a phone number', sourceField: 'Phone' }],
      }),
      sourceSystem: 'SALESFORCE',
      sourceEntity: 'Lead',
      sourceId: '00Q0000000000Q2AAA',
      customerCode: null,
    });
    expect(leadGolden).toBe(goldenId);
    expect((await quarantine.forGolden(dataSource.manager, goldenId ?? '')).map((r) => r.system)).toEqual([
      'SALESFORCE',
      'X3',
    ]);

    // A deleted record carries no flags.
    await apply(observation('CQ2', 4_000, { deleted: true, quarantinedFields: [BAD_PHONE] }));
    expect((await flagged(goldenId)).map((r) => r.sourceId)).toEqual(['00Q0000000000Q2AAA']);
  });
});
