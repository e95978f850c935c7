import { once } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { createServer, type Server, type Socket, connect } from 'node:net';
import { PassThrough } from 'node:stream';
import {
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  Post,
  Req,
  Body,
  type RawBodyRequest,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnModuleInit,
} from '@nestjs/common';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigValidationError,
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
} from '@pardot-x3/config';
import {
  createServiceApp,
  Public,
  KafkaReadinessCheck,
  PostgresReadinessCheck,
  ReadinessModule,
  ReadinessRegistry,
  SchemaRegistryReadinessCheck,
  type ReadinessReport,
  type ServiceApp,
} from '../src/index.js';

/** Infrastructure from the test global setup (the local stack, or what KAFKA_BROKERS & co. name). */
function infrastructure(): { KAFKA_BROKERS: string; SCHEMA_REGISTRY_URL: string; DATABASE_URL: string } {
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL } = process.env;
  if (!KAFKA_BROKERS || !SCHEMA_REGISTRY_URL || !DATABASE_URL) {
    throw new Error(
      'Run with `npx vitest run --project service-runtime#integration` (its global setup starts the stack)',
    );
  }
  return { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL };
}

const configSchema = httpServerConfigSchemaWithPort(16100)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape);
type TestConfig = ReturnType<typeof configSchema.parse>;

/** Ports where nothing listens (until a test starts a proxy there). */
const CLOSED_DB_PORT = 16191;
const CLOSED_KAFKA_PORT = 16192;

@Controller('items')
// The runtime's own behaviour (metrics, raw bodies, logs); access.int-spec.ts covers access.
@Public('test routes of the runtime test')
class ItemsController {
  @Get(':id')
  item(@Param('id') id: string): { id: string } {
    return { id };
  }

  /** What a webhook handler needs to verify a signature: the exact bytes, next to the parsed body. */
  @Post('signed')
  signed(
    @Req() req: RawBodyRequest<IncomingMessage>,
    @Body() body: unknown,
  ): { raw: string; parsed: unknown } {
    return { raw: req.rawBody?.toString('utf8') ?? '', parsed: body };
  }
}

/** Stands for a Kafka consumer: work that must finish when the service stops. */
@Injectable()
class WorkerService implements OnModuleInit, BeforeApplicationShutdown {
  readonly seenDuringShutdown: {
    readinessStatus?: number;
    readinessBody?: ReadinessReport;
    finished?: boolean;
  } = {};
  baseUrl = '';

  constructor(private readonly registry: ReadinessRegistry) {}

  onModuleInit(): void {
    this.registry.register({ name: 'worker', check: async () => undefined });
  }

  async beforeApplicationShutdown(): Promise<void> {
    // HTTP still serves while in-flight work finishes, and readiness already says 503.
    const res = await fetch(`${this.baseUrl}/health/ready`);
    this.seenDuringShutdown.readinessStatus = res.status;
    this.seenDuringShutdown.readinessBody = (await res.json()) as ReadinessReport;
    await new Promise((resolve) => setTimeout(resolve, 50));
    this.seenDuringShutdown.finished = true;
  }
}

@Module({ controllers: [ItemsController], providers: [WorkerService] })
class TestAppModule {
  static register(config: TestConfig): DynamicModule {
    return {
      module: TestAppModule,
      imports: [
        ReadinessModule.register([
          new KafkaReadinessCheck(config, { clientId: 'service-runtime-test-readiness' }),
          new SchemaRegistryReadinessCheck(config),
          new PostgresReadinessCheck(config),
        ]),
      ],
    };
  }
}

function captureLogs(): { stream: PassThrough; text: () => string; lines: () => Record<string, unknown>[] } {
  const stream = new PassThrough();
  const chunks: string[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c.toString()));
  const text = (): string => chunks.join('');
  return {
    stream,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

/** The value of the one sample of `name` whose labels include `labels` (Prometheus text format). */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_:][a-z0-9_:]*)\{(.*)\} (\S+)$/i.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

async function getJson(url: string): Promise<{ status: number; body: ReadinessReport }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as ReadinessReport };
}

/** A TCP forwarder, to make a dependency appear at a port and disappear again. */
async function startProxy(
  port: number,
  target: { host: string; port: number },
): Promise<() => Promise<void>> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
}

describe('a service on the real Kafka, schema registry and PostgreSQL', () => {
  const infra = infrastructure();
  const databasePassword = decodeURIComponent(new URL(infra.DATABASE_URL).password);
  const logs = captureLogs();
  let service: ServiceApp<TestConfig>;
  let url: string;

  beforeAll(async () => {
    service = await createServiceApp({
      service: 'runtime-test',
      version: 'test-1',
      configSchema,
      module: (config) => TestAppModule.register(config),
      env: { ...infra, PORT: '16101', HOST: '127.0.0.1', LOG_LEVEL: 'debug' },
      logDestination: logs.stream,
    });
    url = await service.listen();
    service.nest.get(WorkerService).baseUrl = url;
  });

  afterAll(async () => {
    await service?.shutdown();
  });

  it('is live', async () => {
    const res = await fetch(`${url}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'live', service: 'runtime-test', version: 'test-1' });
  });

  it('is ready, naming every check: Kafka, the registry, the database and the one a module registered', async () => {
    const { status, body } = await getJson(`${url}/health/ready`);
    expect(status).toBe(200);
    expect(body).toEqual({
      status: 'ready',
      checks: {
        kafka: { status: 'up' },
        'schema-registry': { status: 'up' },
        database: { status: 'up' },
        worker: { status: 'up' },
      },
    });
  });

  it('hands handlers the raw request body next to the parsed one, for webhook signatures', async () => {
    const raw = '{"b":1,  "a":[2,3]}';
    const res = await fetch(`${url}/items/signed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: raw,
    });
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ raw, parsed: { b: 1, a: [2, 3] } });
  });

  it('exports Prometheus metrics labelled by route pattern, never by raw URL', async () => {
    for (const id of ['1001', '1002']) expect((await fetch(`${url}/items/${id}`)).status).toBe(200);
    expect((await fetch(`${url}/no/such/path`)).status).toBe(404);
    const res = await fetch(`${url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(sample(text, 'px3_build_info', { service: 'runtime-test', version: 'test-1' })).toBe(1);
    expect(
      sample(text, 'px3_http_requests_total', { route: '/items/:id', method: 'GET', status: '200' }),
    ).toBe(2);
    expect(
      sample(text, 'px3_http_requests_total', { route: 'unmatched', method: 'GET', status: '404' }),
    ).toBe(1);
    expect(sample(text, 'px3_http_request_seconds_count', { route: '/items/:id', method: 'GET' })).toBe(2);
    expect(text).toMatch(/^px3_process_resident_memory_bytes\{service="runtime-test"\} \d+/m);
    expect(text).not.toContain('1001');
    expect(text).not.toContain('/no/such/path');
  });

  it('logs JSON lines: configuration with secrets redacted, and requests without credentials', async () => {
    await fetch(`${url}/items/7?access_token=tok-very-secret`, {
      headers: { authorization: 'Bearer bearer-very-secret' },
    });
    const lines = logs.lines();
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) expect(line).toMatchObject({ service: 'runtime-test', version: 'test-1' });
    const configLine = lines.find((l) => l['msg'] === 'configuration loaded');
    expect(configLine?.['config']).toMatchObject({
      DATABASE_URL: '[redacted]',
      KAFKA_BROKERS: infra.KAFKA_BROKERS,
    });
    const request = lines.find((l) =>
      (l['req'] as { url?: string } | undefined)?.url?.startsWith('/items/7'),
    );
    expect(request).toMatchObject({
      msg: 'request completed',
      req: { method: 'GET', url: '/items/7?access_token=[redacted]' },
      res: { statusCode: 200 },
    });
    expect(logs.text()).not.toContain('tok-very-secret');
    expect(logs.text()).not.toContain('bearer-very-secret');
    expect(logs.text()).not.toContain(databasePassword);
    // Probes and scrapes are not request-logged.
    expect(lines.some((l) => (l['req'] as { url?: string } | undefined)?.url === '/health/ready')).toBe(
      false,
    );
  });

  it('stops gracefully: 503 at once while work finishes, then the server and the checks close', async () => {
    const worker = service.nest.get(WorkerService);
    await service.shutdown('SIGTERM');
    expect(worker.seenDuringShutdown).toEqual({
      readinessStatus: 503,
      readinessBody: { status: 'draining', checks: {} },
      finished: true,
    });
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
    // The readiness check's own PostgreSQL connection is gone.
    const client = new pg.Client({ connectionString: infra.DATABASE_URL });
    await client.connect();
    try {
      await expect
        .poll(async () => {
          const result = await client.query<{ n: string }>(
            "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = 'pardot-x3-readiness'",
          );
          return Number(result.rows[0]?.n);
        })
        .toBe(0);
    } finally {
      await client.end();
    }
  });
});

describe('a service whose dependencies are unreachable', () => {
  const infra = infrastructure();
  let service: ServiceApp<TestConfig>;
  let url: string;
  const stopProxies: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    const databaseUrl = new URL(infra.DATABASE_URL);
    databaseUrl.host = `127.0.0.1:${CLOSED_DB_PORT}`;
    service = await createServiceApp({
      service: 'runtime-test-unreachable',
      configSchema,
      module: (config) => TestAppModule.register(config),
      env: {
        ...infra,
        DATABASE_URL: databaseUrl.toString(),
        KAFKA_BROKERS: `127.0.0.1:${CLOSED_KAFKA_PORT}`,
        PORT: '16102',
        HOST: '127.0.0.1',
        READINESS_CHECK_TIMEOUT_MS: '1500',
      },
      logDestination: captureLogs().stream,
    });
    url = await service.listen();
  });

  afterAll(async () => {
    await service?.shutdown();
    for (const stop of stopProxies) await stop();
  });

  it('is live but not ready, naming each failing check and why', async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    const { status, body } = await getJson(`${url}/health/ready`);
    expect(status).toBe(503);
    expect(body.status).toBe('not_ready');
    expect(body.checks['schema-registry']).toEqual({ status: 'up' });
    expect(body.checks['database']).toMatchObject({ status: 'down' });
    expect(body.checks['kafka']).toMatchObject({ status: 'down' });
    const reason = (name: string): string => {
      const check = body.checks[name];
      return check && check.status === 'down' ? check.reason : '';
    };
    expect(reason('database')).toMatch(
      new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${CLOSED_DB_PORT}/\\S+ is not reachable: .*ECONNREFUSED`),
    );
    expect(reason('kafka')).toMatch(
      new RegExp(`^Kafka at 127\\.0\\.0\\.1:${CLOSED_KAFKA_PORT} is not reachable: `),
    );
    expect(JSON.stringify(body)).not.toContain(decodeURIComponent(new URL(infra.DATABASE_URL).password));
  });

  it('becomes ready once the database and Kafka answer, reconnecting by itself', async () => {
    const real = new URL(infra.DATABASE_URL);
    const [kafkaHost, kafkaPort] = (infra.KAFKA_BROKERS.split(',')[0] ?? '').split(':');
    stopProxies.push(
      await startProxy(CLOSED_DB_PORT, { host: real.hostname, port: Number(real.port || 5432) }),
    );
    stopProxies.push(
      await startProxy(CLOSED_KAFKA_PORT, { host: kafkaHost ?? '127.0.0.1', port: Number(kafkaPort) }),
    );
    await expect
      .poll(async () => (await getJson(`${url}/health/ready`)).status, { timeout: 20_000, interval: 500 })
      .toBe(200);
  });
});

describe('a service with an invalid environment', () => {
  it('refuses to start and lists every problem, naming each variable', async () => {
    const attempt = createServiceApp({
      service: 'runtime-test-invalid',
      configSchema,
      module: TestAppModule,
      env: { PORT: 'eighty', KAFKA_BROKERS: 'kafka', DATABASE_URL: 'mysql://u:p@h/db' },
    });
    const error: unknown = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigValidationError);
    const problems = (error as ConfigValidationError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/^PORT /m);
    expect(problems.join('\n')).toMatch(/^KAFKA_BROKERS must be a comma-separated host:port list/m);
    expect(problems.join('\n')).toMatch(/^SCHEMA_REGISTRY_URL is required but not set/m);
    expect(problems.join('\n')).toMatch(/^DATABASE_URL must be a postgres:\/\/ connection URL/m);
  });
});
