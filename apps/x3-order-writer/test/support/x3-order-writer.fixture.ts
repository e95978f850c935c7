import { fileURLToPath } from 'node:url';
import {
  CONSUMER_GROUPS,
  TOPICS,
  type GoldenCustomer,
  type SalesOrderRequested,
  type TopicDefinition,
} from '@pardot-x3/canonical';
import { SandboxProcess, TestMessaging } from '@pardot-x3/flow-testing';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { createTestDatabase } from '@pardot-x3/testing';
import { AppModule } from '../../src/app.module.js';
import { x3OrderWriterConfigSchema, type X3OrderWriterConfig } from '../../src/x3-order-writer.config.js';

export const CONFIG_DIR = fileURLToPath(new URL('../../../../config/', import.meta.url));
export const X3_USER = { name: 'px3', password: 'x3-order-writer-tests' };

/** x3-order-writer in this process against the real stack, with the X3 sandbox as a process. */
export interface X3OrderWriterFixture {
  readonly messaging: TestMessaging;
  readonly x3: SandboxProcess;
  readonly app: ServiceApp<X3OrderWriterConfig>;
  /** Calls the X3 sandbox's REST API as the integration user. */
  x3Api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T>;
  close(): Promise<void>;
}

export async function startX3OrderWriter(options: {
  readonly label: string;
  readonly httpPort: number;
  readonly x3Port: number;
  readonly collect: readonly TopicDefinition<unknown>[];
  readonly env?: Record<string, string>;
}): Promise<X3OrderWriterFixture> {
  const messaging = await TestMessaging.start({
    label: options.label,
    service: 'test',
    topics: [
      TOPICS.salesOrderRequestedV1,
      TOPICS.salesOrderRepliedV1,
      TOPICS.customerObservationRecordedV1,
      TOPICS.customerGoldenRecordMasteredV1,
      TOPICS.pardotProspectUpsertedV1,
      TOPICS.engagementActivityRecordedV1,
      TOPICS.engagementScoreChangedV1,
    ],
    groups: [
      CONSUMER_GROUPS.x3OrderWriterSalesOrders,
      CONSUMER_GROUPS.x3OrderWriterCustomerDirectory,
      CONSUMER_GROUPS.x3OrderWriterEngagementScoring,
      CONSUMER_GROUPS.x3OrderWriterEngagementScores,
    ],
    collect: options.collect,
  });
  const database = await createTestDatabase(options.label);
  const x3 = await SandboxProcess.start('x3', options.x3Port, {
    X3_USERS: `${X3_USER.name}:${X3_USER.password}`,
  });
  // The messaging layer of a service reads its Kafka settings from the process environment.
  const app = await createServiceApp({
    service: 'x3-order-writer',
    configSchema: x3OrderWriterConfigSchema,
    module: (config) => AppModule.register(config),
    env: messaging.serviceEnv(options.httpPort, {
      DATABASE_URL: database.url,
      X3_BASE_URL: x3.baseUrl,
      X3_FOLDER: 'SEED',
      X3_USERNAME: X3_USER.name,
      X3_PASSWORD: X3_USER.password,
      PX3_CONFIG_DIR: CONFIG_DIR,
      ENGAGEMENT_REFRESH_INTERVAL_MS: '0',
      ...options.env,
    }),
  });
  await app.listen();
  const auth = `Basic ${Buffer.from(`${X3_USER.name}:${X3_USER.password}`).toString('base64')}`;
  return {
    messaging,
    x3,
    app,
    async x3Api<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${x3.baseUrl}/api1/x3/erp/SEED/${path}`, {
        method,
        headers: {
          authorization: auth,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return (await response.json()) as T;
    },
    async close() {
      await app.shutdown('test end').catch(() => undefined);
      await messaging.close();
      await x3.stop();
      await database.drop();
    },
  };
}

/** A won opportunity's order request, as the transformer builds it. */
export function orderRequest(
  opportunityId: string,
  customer: Partial<SalesOrderRequested['customer']>,
  lines: readonly { productCode: string; quantity: string; unitPrice?: string }[],
): SalesOrderRequested {
  return {
    opportunityId,
    opportunityName: `Opportunity ${opportunityId}`,
    closedAt: new Date('2026-11-20T10:00:00Z'),
    customer: {
      x3CustomerCode: null,
      goldenId: null,
      salesforceAccountId: null,
      companyName: '',
      email: null,
      phone: null,
      billingAddress: null,
      shippingAddress: null,
      customerGroup: null,
      paymentTerms: null,
      ...customer,
    },
    currencyCode: 'EUR',
    requestedDeliveryDate: null,
    salesSite: null,
    customerOrderReference: null,
    lines: lines.map((line, index) => ({
      lineNumber: index + 1,
      sourceLineId: `00k${opportunityId.slice(3)}${index}`,
      productCode: line.productCode,
      description: null,
      quantity: line.quantity,
      unitPrice: line.unitPrice ?? null,
      discountPercent: null,
    })),
    totalAmount: { amount: '100', currencyCode: 'EUR' },
    customFields: {},
  };
}

/** A golden customer as mdm publishes it (only what x3-order-writer reads is set). */
export function goldenCustomer(
  goldenId: string,
  version: number,
  xrefs: Partial<GoldenCustomer['xrefs']>,
  fields: Partial<GoldenCustomer> = {},
): GoldenCustomer {
  return {
    goldenId,
    version,
    updatedAt: new Date('2026-11-20T10:00:00Z'),
    createdAt: new Date('2026-11-01T10:00:00Z'),
    email: null,
    firstName: null,
    lastName: null,
    companyName: null,
    phone: null,
    address: null,
    customerCode: null,
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
    provenance: {},
    mergedFrom: [],
    ...fields,
    xrefs: {
      x3CustomerCodes: [],
      salesforceLeadIds: [],
      salesforceContactIds: [],
      salesforceAccountIds: [],
      pardotProspectIds: [],
      ...xrefs,
    },
  };
}

/** Opportunity ids as Salesforce makes them (18 characters, prefix 006), unique per test run. */
export function opportunityIds(
  count: number,
  run = Math.random().toString(36).slice(2, 7).toUpperCase(),
): string[] {
  return Array.from({ length: count }, (_, i) => `006${run}${String(i).padStart(10, '0')}`.slice(0, 18));
}
