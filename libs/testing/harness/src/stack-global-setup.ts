import { LocalStack } from '@pardot-x3/local-stack';
import { startContainerStack, type ContainerStack } from './container-stack.js';

let startedHere: LocalStack | undefined;
let containers: ContainerStack | undefined;

/**
 * Vitest global setup for integration and end-to-end projects: uses the infrastructure named by
 * KAFKA_BROKERS / SCHEMA_REGISTRY_URL / DATABASE_URL, or the local stack (started here when it is
 * not running, and stopped again at the end of the run). With PX3_TESTCONTAINERS=1 and a Docker
 * engine, Kafka, the registry and PostgreSQL run as containers instead (the images of
 * deploy/docker-compose.yml), removed at the end of the run.
 */
export async function setup(): Promise<void> {
  if (process.env['PX3_TESTCONTAINERS'] === '1') {
    containers = await startContainerStack((line) => console.error(`[tests] ${line}`));
    Object.assign(process.env, containers.env);
    return;
  }
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
  if (containers) {
    await containers.stop();
    containers = undefined;
  }
  if (startedHere) {
    await startedHere.down();
    startedHere = undefined;
  }
}
