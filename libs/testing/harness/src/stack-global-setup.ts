import { LocalStack } from '@pardot-x3/local-stack';

let startedHere: LocalStack | undefined;

/**
 * Vitest global setup for integration and end-to-end projects: uses the infrastructure named by
 * KAFKA_BROKERS / SCHEMA_REGISTRY_URL / DATABASE_URL, or the local stack (started here when it is
 * not running, and stopped again at the end of the run).
 */
export async function setup(): Promise<void> {
  const stack = new LocalStack();
  if (!stack.isRunning()) {
    console.error('[tests] starting the local stack (Kafka, schema registry, PostgreSQL) for this run');
    startedHere = stack;
  }
  const env = await stack.up((line) => console.error(`[tests] ${line}`));
  // Test workers are started after this and inherit the environment.
  Object.assign(process.env, env);
}

export async function teardown(): Promise<void> {
  if (startedHere) {
    await startedHere.down();
    startedHere = undefined;
  }
}
