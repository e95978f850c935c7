import { connect } from 'node:net';
import { join } from 'node:path';
import { CONSUMER_GROUPS, TOPICS, type TopicDefinition } from '@pardot-x3/canonical';
import { SandboxProcess, TestMessaging } from '@pardot-x3/flow-testing';
import {
  PIPELINE_SERVICES,
  SANDBOX_PARDOT_BUSINESS_UNIT,
  SANDBOX_PARDOT_CUSTOM_FIELDS,
  SANDBOX_SALESFORCE_APP,
  SANDBOX_X3,
  type PipelineService,
} from '@pardot-x3/local-pipeline';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import {
  createTestDatabase,
  ServiceProcess,
  stackEnv,
  testAccess,
  type TestAccess,
} from '@pardot-x3/testing';
import avro from 'avsc';
import kafkajs from 'kafkajs';
import pg from 'pg';

/**
 * The whole pipeline for one end-to-end test file of the customer flows: its own topic namespace and
 * database, the three sandboxes and the six services, each its own OS process, on ports of the file's
 * own block (`base` + 1…6 for the services, + 100/200/300 for Salesforce, Pardot, X3).
 */

export { PIPELINE_SERVICES, type PipelineService } from '@pardot-x3/local-pipeline';

/** Salesforce sandbox connected app and the Pardot business unit every test uses. */
export const SALESFORCE_CLIENT = {
  id: SANDBOX_SALESFORCE_APP.clientId,
  secret: SANDBOX_SALESFORCE_APP.clientSecret,
};
export const PARDOT_BUSINESS_UNIT = SANDBOX_PARDOT_BUSINESS_UNIT;
export const X3_WEBHOOK_SECRET = SANDBOX_X3.webhookSecret;
/** The X3 user pardot-x3 writes as, and a user standing for people working in X3. */
export const X3_INTEGRATION_USER = SANDBOX_X3.integrationUser;
export const X3_ERP_USER = SANDBOX_X3.erpUser;
/** The Pardot custom fields of the enrichment (golden-to-pardot-prospect). */
export const PARDOT_CUSTOM_FIELDS = SANDBOX_PARDOT_CUSTOM_FIELDS.join(',');

export interface CustomerFlowOptions {
  readonly label: string;
  /** First port of the file's block, e.g. 20000: services 20001–20006, sandboxes 20100/20200/20300. */
  readonly basePort: number;
  /** The sandboxes' world (same seed and counts in all three). */
  readonly seedCounts?: Readonly<Record<string, number>>;
  /** Extra environment per service. */
  readonly serviceEnv?: Partial<Record<PipelineService, Record<string, string>>>;
  /** Extra environment per sandbox. */
  readonly sandboxEnv?: Partial<Record<'salesforce' | 'pardot' | 'x3', Record<string, string>>>;
  /** Topics the test reads back, decoded. */
  readonly collect?: readonly TopicDefinition<unknown>[];
}

export class CustomerFlowWorld {
  readonly services = new Map<PipelineService, ServiceProcess>();

  private constructor(
    readonly options: CustomerFlowOptions,
    readonly messaging: TestMessaging,
    readonly database: { url: string; drop: () => Promise<void> },
    readonly salesforce: SandboxProcess,
    readonly pardot: SandboxProcess,
    readonly x3: SandboxProcess,
    /** The test's credentials: every service accepts its API keys (docs/security.md). */
    readonly access: TestAccess,
  ) {}

  /** Headers of a call to a service's protected routes, as an operator (or another role). */
  auth(role: 'viewer' | 'pii' | 'operator' = 'operator'): Record<string, string> {
    return this.access.headers(role);
  }

  static async start(options: CustomerFlowOptions): Promise<CustomerFlowWorld> {
    const base = options.basePort;
    const ports = [...PIPELINE_SERVICES.map((_, i) => base + 1 + i), base + 100, base + 200, base + 300];
    const busy = (
      await Promise.all(ports.map(async (port) => ((await isListening(port)) ? port : undefined)))
    ).filter((port) => port !== undefined);
    if (busy.length > 0)
      throw new Error(`ports ${busy.join(', ')} are in use (a process left over from an earlier run?)`);
    const database = await createTestDatabase(options.label);
    const messaging = await TestMessaging.start({
      label: options.label,
      topics: Object.values(TOPICS),
      groups: Object.values(CONSUMER_GROUPS),
      collect: options.collect,
    });
    const seed = {
      SANDBOX_SEED: '7',
      ...(options.seedCounts ? { SANDBOX_SEED_COUNTS: JSON.stringify(options.seedCounts) } : {}),
    };
    const started = await Promise.allSettled([
      SandboxProcess.start(
        'salesforce',
        base + 100,
        { ...seed, ...options.sandboxEnv?.salesforce },
        `${options.label}-sandbox-salesforce.log`,
      ),
      SandboxProcess.start(
        'pardot',
        base + 200,
        { ...seed, PARDOT_CUSTOM_FIELDS, ...options.sandboxEnv?.pardot },
        `${options.label}-sandbox-pardot.log`,
      ),
      SandboxProcess.start(
        'x3',
        base + 300,
        {
          ...seed,
          X3_USERS: `${X3_INTEGRATION_USER.name}:${X3_INTEGRATION_USER.password},${X3_ERP_USER.name}:${X3_ERP_USER.password}`,
          X3_WEBHOOK_URL: `http://127.0.0.1:${base + 2}/webhooks/x3`,
          X3_WEBHOOK_SECRET,
          X3_WEBHOOK_RETRY_BASE_MS: '500',
          ...options.sandboxEnv?.x3,
        },
        `${options.label}-sandbox-x3.log`,
      ),
    ]);
    const [salesforce, pardot, x3] = started.map((r) => (r.status === 'fulfilled' ? r.value : undefined));
    if (!salesforce || !pardot || !x3) {
      await Promise.allSettled([salesforce?.stop(), pardot?.stop(), x3?.stop(), messaging.close()]);
      await database.drop();
      const failure = started.find((r) => r.status === 'rejected');
      throw failure?.status === 'rejected' ? failure.reason : new Error('a sandbox did not start');
    }
    const world = new CustomerFlowWorld(options, messaging, database, salesforce, pardot, x3, testAccess());
    const services = await Promise.allSettled(
      PIPELINE_SERVICES.map((service) => world.startService(service)),
    );
    const failed = services.find((r) => r.status === 'rejected');
    if (failed?.status === 'rejected') {
      await world.stop();
      throw failed.reason;
    }
    return world;
  }

  port(service: PipelineService): number {
    return this.options.basePort + 1 + PIPELINE_SERVICES.indexOf(service);
  }

  url(service: PipelineService): string {
    return `http://127.0.0.1:${this.port(service)}`;
  }

  /** The environment of a service: the stack, the namespace, the database, the sandboxes. */
  env(service: PipelineService): Record<string, string> {
    const base = this.options.basePort;
    const salesforce = {
      SALESFORCE_LOGIN_URL: `http://127.0.0.1:${base + 100}`,
      SALESFORCE_CLIENT_ID: SALESFORCE_CLIENT.id,
      SALESFORCE_CLIENT_SECRET: SALESFORCE_CLIENT.secret,
    };
    const pardot = {
      PARDOT_BASE_URL: `http://127.0.0.1:${base + 200}`,
      PARDOT_BUSINESS_UNIT_ID: PARDOT_BUSINESS_UNIT,
    };
    const x3 = {
      X3_BASE_URL: `http://127.0.0.1:${base + 300}`,
      X3_FOLDER: 'SEED',
      X3_USERNAME: X3_INTEGRATION_USER.name,
      X3_PASSWORD: X3_INTEGRATION_USER.password,
    };
    const common = {
      ...this.messaging.env(),
      PORT: String(this.port(service)),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      DATABASE_URL: this.database.url,
      PX3_CONFIG_DIR: join(findRepositoryRoot(), 'config'),
      ...this.access.env,
    };
    const own: Record<PipelineService, Record<string, string>> = {
      'salesforce-ingest': {
        ...salesforce,
        ...pardot,
        PARDOT_POLL_INTERVAL_MS: '1000',
        PARDOT_POLL_OVERLAP_SECONDS: '30',
        PARDOT_POLL_INITIAL_LOOKBACK_SECONDS: '30',
        SALESFORCE_RECONCILE_INTERVAL_MS: '2000',
      },
      'x3-ingest': {
        ...x3,
        X3_WEBHOOK_SECRET,
        X3_POLL_INTERVAL_MS: '1000',
        X3_POLL_INITIAL_LOOKBACK_SECONDS: '30',
        X3_POLL_OVERLAP_SECONDS: '30',
      },
      transformer: {},
      mdm: {},
      'pardot-writer': { ...salesforce, ...pardot, CUSTOMER_WRITE_COALESCING_MS: '1000' },
      'x3-order-writer': { ...x3 },
    };
    return { ...common, ...own[service], ...this.options.serviceEnv?.[service] };
  }

  async startService(service: PipelineService): Promise<ServiceProcess> {
    const process = new ServiceProcess({
      app: service,
      env: this.env(service),
      logName: `${this.options.label}-${service}.log`,
      readyTimeoutMs: 90_000,
    });
    this.services.set(service, process);
    await process.start();
    return process;
  }

  service(name: PipelineService): ServiceProcess {
    const process = this.services.get(name);
    if (!process) throw new Error(`${name} was not started`);
    return process;
  }

  /** Rows of a query on the test's database. */
  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new pg.Client({ connectionString: this.database.url });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Calls the X3 sandbox's REST API as a person working in X3. */
  async x3Api<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const auth = Buffer.from(`${X3_ERP_USER.name}:${X3_ERP_USER.password}`).toString('base64');
    const response = await fetch(`http://127.0.0.1:${this.options.basePort + 300}/api1/x3/erp/SEED/${path}`, {
      method,
      headers: {
        authorization: `Basic ${auth}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = (await response.json()) as T & { $diagnoses?: { $severity: string; $message: string }[] };
    const errors = json.$diagnoses?.filter((d) => d.$severity === 'error') ?? [];
    if (!response.ok || errors.length > 0)
      throw new Error(
        `X3 ${method} ${path}: HTTP ${response.status} ${errors.map((e) => e.$message).join('; ')}`,
      );
    return json;
  }

  /** An access token of the Salesforce sandbox's connected app (also accepted by the Pardot sandbox). */
  async salesforceToken(): Promise<string> {
    const response = await fetch(`${this.salesforce.baseUrl}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: SALESFORCE_CLIENT.id,
        client_secret: SALESFORCE_CLIENT.secret,
      }),
    });
    if (!response.ok) throw new Error(`Salesforce token: HTTP ${response.status} ${await response.text()}`);
    return ((await response.json()) as { access_token: string }).access_token;
  }

  /**
   * Calls the Salesforce sandbox's REST API as a person working in Salesforce (another client than
   * pardot-x3's, so CDC does not take the change for an echo).
   */
  async salesforceApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.salesforce.baseUrl}/services/data/v62.0/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.salesforceToken()}`,
        'sforce-call-options': 'client=sales-rep-browser',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`Salesforce ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  /** Calls the Pardot sandbox's API v5 as a marketer would. */
  async pardotApi<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.pardot.baseUrl}/api/v5/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.salesforceToken()}`,
        'pardot-business-unit-id': PARDOT_BUSINESS_UNIT,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(`Pardot ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  /** Every prospect of the Pardot sandbox with these fields (v5 query, all pages). */
  async pardotProspects(fields: readonly string[]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let page = await this.pardotApi<{ values: Record<string, unknown>[]; nextPageToken?: string | null }>(
      'GET',
      `objects/prospects?fields=${fields.join(',')}&limit=1000`,
    );
    out.push(...page.values);
    while (page.nextPageToken) {
      page = await this.pardotApi(
        'GET',
        `objects/prospects?fields=${fields.join(',')}&nextPageToken=${encodeURIComponent(page.nextPageToken)}`,
      );
      out.push(...page.values);
    }
    return out;
  }

  /** Raw records of a topic of the namespace (value bytes as Kafka holds them), read from the beginning. */
  async rawMessages(
    topic: Pick<TopicDefinition<unknown>, 'name'>,
    until: (messages: readonly RawMessage[]) => boolean,
    timeoutMs = 60_000,
  ): Promise<RawMessage[]> {
    const kafka = new kafkajs.Kafka({
      clientId: 'e2e-raw-reader',
      brokers: (this.messaging.env()['KAFKA_BROKERS'] ?? '').split(','),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `${this.messaging.namespace}e2e-raw-${Date.now()}` });
    const messages: RawMessage[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: `${this.messaging.namespace}${topic.name}`, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`timed out reading ${topic.name}: ${messages.length} message(s)`)),
          timeoutMs,
        );
        void consumer.run({
          eachMessage: async ({ message, partition }) => {
            messages.push({
              key: message.key?.toString() ?? null,
              value: message.value,
              partition,
              offset: message.offset,
            });
            if (until(messages)) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
    } finally {
      await consumer.disconnect();
    }
    return messages;
  }

  /** Every record a topic of the namespace holds now: read from the beginning until nothing came for `idleMs`. */
  async allMessages(topic: Pick<TopicDefinition<unknown>, 'name'>, idleMs = 3_000): Promise<RawMessage[]> {
    const kafka = new kafkajs.Kafka({
      clientId: 'e2e-raw-reader',
      brokers: (this.messaging.env()['KAFKA_BROKERS'] ?? '').split(','),
      logLevel: kafkajs.logLevel.NOTHING,
    });
    const consumer = kafka.consumer({ groupId: `${this.messaging.namespace}e2e-all-${Date.now()}` });
    const messages: RawMessage[] = [];
    let last = Date.now();
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: `${this.messaging.namespace}${topic.name}`, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message, partition }) => {
          last = Date.now();
          messages.push({
            key: message.key?.toString() ?? null,
            value: message.value,
            partition,
            offset: message.offset,
          });
        },
      });
      while (Date.now() - last < idleMs) await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      await consumer.disconnect();
    }
    return messages;
  }

  /** The value of a counter or gauge a service exports, summed over the series matching `labels`. */
  async metric(service: PipelineService, name: string, labels: Record<string, string> = {}): Promise<number> {
    const text = await (await fetch(`${this.url(service)}/metrics`)).text();
    let sum = 0;
    for (const line of text.split('\n')) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`)))
        sum += Number(line.split(' ').pop());
    }
    return sum;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.services.values()].map((s) => s.stop()));
    await Promise.allSettled([this.salesforce.stop(), this.pardot.stop(), this.x3.stop()]);
    await this.messaging.close();
    // E2E_KEEP_DATABASE=1 keeps the database and the topics of a run to look into (the namespace and the
    // database are named in the services' logs).
    if (process.env['E2E_KEEP_DATABASE'] === '1') return;
    await Promise.allSettled([this.database.drop(), this.deleteNamespace()]);
  }

  /**
   * Deletes the file's topics and schema subjects: a long-lived local stack would otherwise collect a
   * few hundred per run, until the broker's heap and the registry's subject list overflow.
   */
  private async deleteNamespace(): Promise<void> {
    const { namespace } = this.messaging;
    const env = this.messaging.env();
    const admin = new kafkajs.Kafka({
      clientId: 'e2e-cleanup',
      brokers: (env['KAFKA_BROKERS'] ?? '').split(','),
      logLevel: kafkajs.logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(namespace));
      if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 60_000 });
    } finally {
      await admin.disconnect();
    }
    const registry = env['SCHEMA_REGISTRY_URL'] ?? '';
    const subjects = (await (await fetch(`${registry}/subjects`)).json()) as string[];
    for (const subject of subjects.filter((name) => name.startsWith(namespace))) {
      const url = `${registry}/subjects/${encodeURIComponent(subject)}`;
      await fetch(url, { method: 'DELETE' });
      await fetch(`${url}?permanent=true`, { method: 'DELETE' });
    }
  }
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * What any consumer outside pardot-x3 would do with a value: read the Confluent wire format by hand
 * (magic byte 0, 4-byte schema id), fetch the writer schema by id from the registry, decode with avsc.
 */
export async function decodeWithRegistry(
  bytes: Buffer,
): Promise<{ schemaId: number; value: Record<string, unknown> }> {
  if (bytes.length < 5 || bytes.readUInt8(0) !== 0)
    throw new Error('not Confluent wire format (magic byte 0)');
  const schemaId = bytes.readInt32BE(1);
  const response = await fetch(`${stackEnv().SCHEMA_REGISTRY_URL}/schemas/ids/${schemaId}`);
  if (!response.ok) throw new Error(`the registry answered ${response.status} for schema id ${schemaId}`);
  const { schema } = (await response.json()) as { schema: string };
  const value = avro.Type.forSchema(JSON.parse(schema) as avro.Schema).fromBuffer(
    bytes.subarray(5),
  ) as Record<string, unknown>;
  return { schemaId, value };
}

export interface RawMessage {
  readonly key: string | null;
  readonly value: Buffer | null;
  readonly partition: number;
  readonly offset: string;
}
