import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSUMER_GROUPS, TOPICS } from '@pardot-x3/canonical';
import { TestMessaging } from '@pardot-x3/flow-testing';
import { createTestDatabase, stackEnv } from '@pardot-x3/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  lastServiceLaunch,
  serviceProcesses,
  servicesCommand,
  startServices,
  type ServiceProcess,
} from './services.command.js';

/**
 * Issue 10, item 5: `./pardot-x3 services up <name>` after `./pardot-x3 demo` gave the restarted service
 * the default database and topic namespace, not the demo's. A service is started here as the demo
 * starts it (its own namespace and database, quick polling), stopped, and started again with
 * `services up <name>`: it must come back with what it ran with.
 */

/** Services on 17001–17006 (PX3_PORT_OFFSET 14000); x3-ingest at 17002. */
const PORT_OFFSET = '14000';
const saved: Record<string, string | undefined> = {};
let home: string;
let messaging: TestMessaging;
let database: { url: string; drop: () => Promise<void> };
let x3Ingest: ServiceProcess;

async function run(...args: string[]): Promise<void> {
  await servicesCommand().exitOverride().parseAsync(args, { from: 'user' });
}

/** The environment the running process of a service really has (Linux /proc). */
function processEnvironment(p: ServiceProcess): Record<string, string> {
  const pid = readFileSync(p.pidFile, 'utf8').trim();
  return Object.fromEntries(
    readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .filter((entry) => entry.includes('='))
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}

async function tables(url: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    return result.rows.map((row) => row.table_name);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  messaging = await TestMessaging.start({
    label: 'services-launch',
    topics: [
      TOPICS.x3CustomerChangedV1,
      TOPICS.x3SalesOrderChangedV1,
      TOPICS.x3DeliveryChangedV1,
      TOPICS.x3StockChangedV1,
      TOPICS.x3NotificationReceivedV1,
    ],
    // x3-ingest consumes its webhook queue (ADR 0130): the group's retry and dead-letter topics.
    groups: [CONSUMER_GROUPS.x3IngestNotifications],
  });
  database = await createTestDatabase('services-launch');
  home = mkdtempSync(join(tmpdir(), 'px3-services-'));
  for (const [k, v] of Object.entries({ PX3_STACK_HOME: home, PX3_PORT_OFFSET: PORT_OFFSET })) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const found = serviceProcesses().find((s) => s.service === 'x3-ingest');
  if (!found) throw new Error('x3-ingest is not a pipeline service');
  x3Ingest = found;
});

afterAll(async () => {
  await run('down', 'x3-ingest').catch(() => undefined);
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  rmSync(home, { recursive: true, force: true });
  await messaging?.close();
  await database?.drop();
});

describe('./pardot-x3 services up <name>', () => {
  it('restarts a service with the namespace, database and polling it last ran with (the demo’s), not the defaults', async () => {
    const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } = stackEnv();
    const demoLike = {
      KAFKA_BROKERS,
      SCHEMA_REGISTRY_URL,
      DATABASE_URL: database.url,
      PX3_TOPIC_NAMESPACE: messaging.namespace,
    };
    // As ./pardot-x3 demo starts it.
    await startServices([x3Ingest], { build: false, quickPolling: true, infrastructure: demoLike });
    const first = processEnvironment(x3Ingest);
    expect(first['PX3_TOPIC_NAMESPACE']).toBe(messaging.namespace);
    expect(first['X3_POLL_INTERVAL_MS']).toBe('1000');

    // What it was started with is kept beside its pid file, for its owner only (it names a password).
    expect(statSync(x3Ingest.launchFile).mode & 0o777).toBe(0o600);
    expect(lastServiceLaunch(x3Ingest)).toEqual({ infrastructure: demoLike, quickPolling: true });

    await run('down', 'x3-ingest');
    await run('up', '--no-build', 'x3-ingest');

    const again = processEnvironment(x3Ingest);
    expect(again['PX3_TOPIC_NAMESPACE']).toBe(messaging.namespace);
    expect(again['DATABASE_URL']).toBe(database.url);
    expect(again['KAFKA_BROKERS']).toBe(KAFKA_BROKERS);
    expect(again['X3_POLL_INTERVAL_MS']).toBe('1000');
    expect((await fetch(`${x3Ingest.url}/health/ready`)).status).toBe(200);
    // Its migrations ran in the demo's database.
    expect(await tables(database.url)).toContain('x3_ingest_poll_watermark');
  });
});
