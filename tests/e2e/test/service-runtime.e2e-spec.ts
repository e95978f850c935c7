import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSUMER_GROUPS, TOPICS } from '@pardot-x3/canonical';
import { SandboxProcess, TestMessaging } from '@pardot-x3/flow-testing';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import { ServiceProcess, stackEnv } from '@pardot-x3/testing';

/**
 * The six services as separate OS processes on the real local stack: health, metrics, JSON logs,
 * secrets kept out of the logs, graceful SIGTERM, refusal of an invalid environment, and a clear
 * failure when the database is unreachable at start. Needs the apps built (`npx nx run-many -t build`).
 * The services run their flows, so they get what those need: the catalog topics (a namespace of this
 * file) and the Salesforce, Pardot and X3 sandboxes.
 */

const SERVICES = [
  { app: 'salesforce-ingest', port: 16001, database: true },
  { app: 'x3-ingest', port: 16002, database: true },
  { app: 'transformer', port: 16003, database: false },
  { app: 'mdm', port: 16004, database: true },
  { app: 'pardot-writer', port: 16005, database: true },
  { app: 'x3-order-writer', port: 16006, database: true },
] as const;

/** Ports of the sandboxes the services talk to. */
const SANDBOX_PORTS = { salesforce: 16100, pardot: 16200, x3: 16300 } as const;

/** What each service needs besides the stack: its namespace, the configuration folder and the sandboxes. */
function flowEnv(app: string, namespace: Record<string, string>): Record<string, string> {
  const salesforce = {
    SALESFORCE_LOGIN_URL: `http://127.0.0.1:${SANDBOX_PORTS.salesforce}`,
    SALESFORCE_CLIENT_ID: 'PX3SandboxConsumerKey',
    SALESFORCE_CLIENT_SECRET: 'px3-sandbox-consumer-secret',
  };
  const pardot = {
    PARDOT_BASE_URL: `http://127.0.0.1:${SANDBOX_PORTS.pardot}`,
    PARDOT_BUSINESS_UNIT_ID: '0Uv5g000000PX3AAAA',
  };
  const x3 = {
    X3_BASE_URL: `http://127.0.0.1:${SANDBOX_PORTS.x3}`,
    X3_FOLDER: 'SEED',
    X3_USERNAME: 'px3',
    X3_PASSWORD: 'px3-sandbox',
  };
  const own: Record<string, Record<string, string>> = {
    'salesforce-ingest': { ...salesforce, ...pardot },
    'x3-ingest': x3,
    'pardot-writer': { ...salesforce, ...pardot },
    'x3-order-writer': x3,
  };
  return { ...namespace, PX3_CONFIG_DIR: join(findRepositoryRoot(), 'config'), ...own[app] };
}

/** A port where nothing listens, for an unreachable database. */
const CLOSED_PORT = 16990;
const RUN = randomBytes(3).toString('hex');

interface ReadinessBody {
  status: string;
  checks: Record<string, { status: 'up' } | { status: 'down'; reason: string }>;
}

function logLines(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

function parsedLogLines(file: string): Record<string, unknown>[] {
  return logLines(file).map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('the six services, each its own process', () => {
  const secrets = {
    KAFKA_SASL_PASSWORD: `sasl-secret-${RUN}`,
    SCHEMA_REGISTRY_PASSWORD: `registry-secret-${RUN}`,
  };
  let databasePassword: string;
  const processes = new Map<string, ServiceProcess>();
  let messaging: TestMessaging;
  let sandboxes: SandboxProcess[] = [];

  beforeAll(async () => {
    databasePassword = decodeURIComponent(new URL(stackEnv().DATABASE_URL).password);
    messaging = await TestMessaging.start({
      label: 'service-runtime',
      topics: Object.values(TOPICS),
      groups: Object.values(CONSUMER_GROUPS),
    });
    sandboxes = await Promise.all([
      SandboxProcess.start('salesforce', SANDBOX_PORTS.salesforce),
      SandboxProcess.start('pardot', SANDBOX_PORTS.pardot),
      SandboxProcess.start('x3', SANDBOX_PORTS.x3),
    ]);
    const namespace = { PX3_TOPIC_NAMESPACE: messaging.namespace };
    for (const { app, port } of SERVICES) {
      processes.set(
        app,
        new ServiceProcess({
          app,
          logName: `${app}-runtime-${RUN}.log`,
          env: {
            ...stackEnv(),
            ...flowEnv(app, namespace),
            PORT: String(port),
            SCHEMA_REGISTRY_USERNAME: 'e2e',
            ...secrets,
          },
        }),
      );
    }
    await Promise.all([...processes.values()].map((p) => p.start()));
  }, 240_000);

  afterAll(async () => {
    await Promise.all([...processes.values()].map((p) => p.kill()));
    await Promise.allSettled(sandboxes.map((s) => s.stop()));
    await messaging?.close();
  });

  it.each(SERVICES)('$app is live', async ({ port, app }) => {
    const res = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'live', service: app });
  });

  it.each(SERVICES)('$app is ready and names every check it depends on', async ({ port, database }) => {
    const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as ReadinessBody;
    expect(body.status).toBe('ready');
    const expected: ReadinessBody['checks'] = {
      kafka: { status: 'up' },
      'schema-registry': { status: 'up' },
      // Every service consumes events now: its consumer groups are running.
      consumers: { status: 'up' },
    };
    if (database) expected['database'] = { status: 'up' };
    expect(body.checks).toEqual(expected);
  });

  it.each(SERVICES)(
    '$app serves Prometheus metrics with its build info and HTTP counters',
    async ({ port, app }) => {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(text).toContain('# TYPE px3_build_info gauge');
      expect(text).toMatch(new RegExp(`^px3_build_info\\{version="[^"]+",service="${app}"\\} 1$`, 'm'));
      expect(text).toMatch(
        /^px3_http_requests_total\{route="\/health\/ready",method="GET",status="200",service="[a-z0-9-]+"\} \d+$/m,
      );
      expect(text).toMatch(/^px3_process_cpu_seconds_total\{service="[a-z0-9-]+"\} /m);
    },
  );

  it.each(SERVICES)(
    '$app stops on SIGTERM with exit code 0, logging only JSON lines and no secret',
    async ({ app }) => {
      const service = processes.get(app);
      if (!service) throw new Error(`${app} was not started`);
      await service.stop();
      expect(service.exitCode).toBe(0);
      const lines = logLines(service.logFile);
      for (const line of lines) expect(() => JSON.parse(line), `not a JSON log line: ${line}`).not.toThrow();
      const parsed = parsedLogLines(service.logFile);
      expect(parsed.every((l) => l['service'] === app)).toBe(true);
      const loggedConfig = parsed.find((l) => l['msg'] === 'configuration loaded')?.['config'];
      expect(loggedConfig).toMatchObject({
        KAFKA_SASL_PASSWORD: '[redacted]',
        SCHEMA_REGISTRY_PASSWORD: '[redacted]',
        ...(app === 'transformer' ? {} : { DATABASE_URL: '[redacted]' }),
      });
      expect(parsed.map((l) => l['msg'])).toEqual(
        expect.arrayContaining(['service started', 'shutdown complete']),
      );
      expect(parsed.filter((l) => l['level'] === 'error' || l['level'] === 'fatal')).toEqual([]);
      const text = readFileSync(service.logFile, 'utf8');
      expect(text).not.toContain(secrets.KAFKA_SASL_PASSWORD);
      expect(text).not.toContain(secrets.SCHEMA_REGISTRY_PASSWORD);
      expect(text).not.toContain(databasePassword);
    },
  );
});

describe('a service with an invalid environment', () => {
  it('exits with code 78 and prints every problem', async () => {
    const service = new ServiceProcess({
      app: 'mdm',
      logName: `mdm-invalid-env-${RUN}.log`,
      env: {
        PORT: 'not-a-port',
        KAFKA_BROKERS: 'kafka without port',
        SCHEMA_REGISTRY_URL: 'ftp://registry',
        DATABASE_URL: 'mysql://user:pw@db/x',
        LOG_LEVEL: 'loud',
      },
    });
    await expect(service.start()).rejects.toThrow(/mdm exited \(code 78\)/);
    const text = readFileSync(service.logFile, 'utf8');
    expect(text).toContain('mdm: the configuration is not valid (5 problems)');
    for (const variable of ['PORT', 'KAFKA_BROKERS', 'SCHEMA_REGISTRY_URL', 'DATABASE_URL', 'LOG_LEVEL']) {
      expect(text).toMatch(new RegExp(`^  - ${variable} `, 'm'));
    }
    const fatal = logLines(service.logFile)
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { level?: string; problems?: string[] })
      .find((l) => l.level === 'fatal');
    expect(fatal?.problems).toHaveLength(5);
  });
});

describe('a service whose database is unreachable at start', () => {
  // Services migrate their tables at boot (docs/running-services.md): without the database they cannot
  // start, and say so — Kubernetes restarts them until PostgreSQL answers. A database lost after the
  // start is what the readiness check reports (503 with the database check down).
  it('exits 1 with a fatal line naming the database and why, and no password', async () => {
    const databaseUrl = new URL(stackEnv().DATABASE_URL);
    databaseUrl.host = `127.0.0.1:${CLOSED_PORT}`;
    const service = new ServiceProcess({
      app: 'mdm',
      logName: `mdm-no-database-${RUN}.log`,
      readyUrl: 'http://127.0.0.1:16004/health/live',
      env: { ...stackEnv(), PORT: '16004', DATABASE_URL: databaseUrl.toString() },
    });
    await expect(service.start()).rejects.toThrow(/mdm exited \(code 1\)/);
    const fatal = parsedLogLines(service.logFile).find((l) => l['level'] === 'fatal');
    expect(fatal?.['msg']).toBe('startup failed');
    expect(JSON.stringify(fatal)).toMatch(new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${CLOSED_PORT}`));
    const password = decodeURIComponent(databaseUrl.password);
    if (password) expect(readFileSync(service.logFile, 'utf8')).not.toContain(password);
  });
});
