import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The infrastructure the global setup provides; fails with a clear message outside the test runner. */
export function stackEnv(): { KAFKA_BROKERS: string; SCHEMA_REGISTRY_URL: string; DATABASE_URL: string } {
  const { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL } = process.env;
  if (!KAFKA_BROKERS || !SCHEMA_REGISTRY_URL || !DATABASE_URL) {
    throw new Error(
      'Integration tests need KAFKA_BROKERS, SCHEMA_REGISTRY_URL and DATABASE_URL: run them with `./pardot-x3 test` ' +
        '(or `npx vitest run --project <name>#integration`, whose global setup starts the local stack).',
    );
  }
  return { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL };
}

/**
 * A topic/subject namespace unique to one test (PX3_TOPIC_NAMESPACE), so tests share one broker and
 * one registry without seeing each other's messages.
 */
export function uniqueNamespace(label = 't'): string {
  return `${label.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomBytes(4).toString('hex')}.`;
}

/**
 * A fresh logical database on the test PostgreSQL server, dropped by the returned cleanup; the
 * Backstage trick: one server, one database per test file.
 */
export async function createTestDatabase(
  label = 'test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(stackEnv().DATABASE_URL);
  const name = `px3_${label.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
