import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONSUMER_GROUPS, TOPICS, type TopicDefinition } from '@pardot-x3/canonical';
import { SandboxProcess, TestMessaging } from '@pardot-x3/flow-testing';
import { SalesforceClient } from '@pardot-x3/salesforce-connector';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { createTestDatabase } from '@pardot-x3/testing';
import { Registry } from 'prom-client';
import { AppModule } from '../../src/app.module.js';
import { pardotWriterConfigSchema, type PardotWriterConfig } from '../../src/pardot-writer.config.js';

const CONFIG_DIR = fileURLToPath(new URL('../../../../config/', import.meta.url));
export const SALESFORCE_CLIENT = { id: 'PX3SandboxConsumerKey', secret: 'px3-sandbox-consumer-secret' };
export const PARDOT_BUSINESS_UNIT = '0Uv5g000000PX3AAAA';
export const ACTIVITY_EXTENSION = 'PardotX3';
export const WEBHOOK_SECRET = 'stock-webhook-test-secret';

/** A request the stock webhook receiver got: headers and the exact bytes. */
export interface ReceivedWebhook {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** A stand-in for the e-commerce site: records every call, answers with the status the test sets. */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Status of the next answers (200 unless a test makes the site fail). */
  status = 200;
  private constructor(private readonly server: Server) {}

  static async start(port: number): Promise<WebhookReceiver> {
    const holder: { receiver?: WebhookReceiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        holder.receiver?.received.push({
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        res.writeHead(holder.receiver?.status ?? 200).end();
      });
    });
    holder.receiver = new WebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return holder.receiver;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface PardotWriterFixture {
  readonly messaging: TestMessaging;
  readonly salesforce: SandboxProcess;
  readonly pardot: SandboxProcess;
  readonly webhook: WebhookReceiver;
  readonly app: ServiceApp<PardotWriterConfig>;
  /** A Salesforce client of the test itself (reads what pardot-writer wrote). */
  readonly salesforceClient: SalesforceClient;
  close(): Promise<void>;
}

/**
 * pardot-writer in this process against the real stack, with the Salesforce and Pardot sandboxes as
 * processes and a webhook receiver; its configuration folder is a copy of config/ whose inventory policy
 * debounces over seconds (the shipped one waits up to 15 minutes).
 */
export async function startPardotWriter(options: {
  readonly label: string;
  readonly httpPort: number;
  readonly salesforcePort: number;
  readonly pardotPort: number;
  readonly webhookPort: number;
  readonly collect?: readonly TopicDefinition<unknown>[];
  /** Settings on top of the fixture's. */
  readonly env?: Readonly<Record<string, string>>;
}): Promise<PardotWriterFixture> {
  const messaging = await TestMessaging.start({
    label: options.label,
    topics: [
      TOPICS.salesOrderRepliedV1,
      TOPICS.salesOrderCreatedV1,
      TOPICS.salesShipmentValidatedV1,
      TOPICS.salesInvoicePostedV1,
      TOPICS.inventoryStockLevelChangedV1,
      TOPICS.customerGoldenRecordMasteredV1,
      TOPICS.customerGoldenRecordMergedV1,
      TOPICS.pardotProspectUpsertedV1,
    ],
    groups: [
      CONSUMER_GROUPS.pardotWriterOrderConfirmations,
      CONSUMER_GROUPS.pardotWriterErpActivities,
      CONSUMER_GROUPS.pardotWriterCustomerDirectory,
      CONSUMER_GROUPS.pardotWriterStockFields,
      CONSUMER_GROUPS.pardotWriterStockWebhook,
      CONSUMER_GROUPS.pardotWriterCustomers,
    ],
    collect: options.collect,
  });
  const database = await createTestDatabase(options.label);
  const [salesforce, pardot] = await Promise.all([
    SandboxProcess.start('salesforce', options.salesforcePort),
    SandboxProcess.start('pardot', options.pardotPort),
  ]);
  for (const type of ['X3_Order_Created', 'X3_Order_Shipped', 'X3_Invoice_Posted']) {
    await pardot.admin('POST', '/pardot/external-activity-types', { extension: ACTIVITY_EXTENSION, type });
    await salesforce.admin('PUT', '/salesforce/marketing-app-extensions', {
      extension: ACTIVITY_EXTENSION,
      type,
    });
  }
  const webhook = await WebhookReceiver.start(options.webhookPort);
  const configDir = mkdtempSync(join(tmpdir(), 'px3-pardot-writer-config-'));
  cpSync(CONFIG_DIR, configDir, { recursive: true });
  writeFileSync(
    join(configDir, 'inventory.yaml'),
    [
      'version: 1',
      'available:',
      '  subtract: [PHYALL, GLOALL]',
      'publication:',
      '  absoluteThreshold: 5',
      '  relativeThreshold: 0.1',
      '  lowStockMark: 10',
      '  minInterval: 1s',
      '  maxStaleness: 2s',
      '',
    ].join('\n'),
  );
  const app = await createServiceApp({
    service: 'pardot-writer',
    configSchema: pardotWriterConfigSchema,
    module: (config) => AppModule.register(config),
    env: messaging.serviceEnv(options.httpPort, {
      DATABASE_URL: database.url,
      PX3_CONFIG_DIR: configDir,
      SALESFORCE_LOGIN_URL: salesforce.baseUrl,
      SALESFORCE_CLIENT_ID: SALESFORCE_CLIENT.id,
      SALESFORCE_CLIENT_SECRET: SALESFORCE_CLIENT.secret,
      PARDOT_BASE_URL: pardot.baseUrl,
      PARDOT_BUSINESS_UNIT_ID: PARDOT_BUSINESS_UNIT,
      PARDOT_EXTERNAL_ACTIVITY_EXTENSION: ACTIVITY_EXTENSION,
      STOCK_TICK_MS: '200',
      STOCK_FLUSH_MS: '100',
      STOCK_WEBHOOK_URL: `http://127.0.0.1:${options.webhookPort}/stock`,
      STOCK_WEBHOOK_SECRET: WEBHOOK_SECRET,
      STOCK_WEBHOOK_RETRY_BASE_MS: '100',
      STOCK_WEBHOOK_RETRY_MAX_MS: '500',
      CUSTOMER_WRITE_COALESCING_MS: '100',
      ...options.env,
    }),
  });
  await app.listen();
  const salesforceClient = SalesforceClient.fromConfig(
    {
      SALESFORCE_LOGIN_URL: salesforce.baseUrl,
      SALESFORCE_API_VERSION: '62.0',
      SALESFORCE_CLIENT_ID: SALESFORCE_CLIENT.id,
      SALESFORCE_CLIENT_SECRET: SALESFORCE_CLIENT.secret,
      SALESFORCE_CALL_CLIENT_ID: 'pardot-writer-test',
      SALESFORCE_TIMEOUT_MS: 30_000,
    },
    { registry: new Registry() },
  );
  return {
    messaging,
    salesforce,
    pardot,
    webhook,
    app,
    salesforceClient,
    async close() {
      await app.shutdown('test end').catch(() => undefined);
      await messaging.close();
      await Promise.allSettled([salesforce.stop(), pardot.stop(), webhook.stop()]);
      await database.drop();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}
