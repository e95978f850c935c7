import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where every part of the local stack listens and keeps its files. */
export interface StackConfig {
  /** Repository root (the folder with nx.json). */
  readonly rootDir: string;
  /** Data, logs and process state of this stack instance (ignored by git). */
  readonly homeDir: string;
  /** Downloads shared by every stack instance: Kafka jars, the registry archive, a JDK if needed. */
  readonly cacheDir: string;
  /** The project's own files that describe the stack (POMs, log configuration). */
  readonly assetsDir: string;
  readonly host: string;
  readonly ports: StackPorts;
  /** Infrastructure named by the environment replaces the embedded part of the same kind. */
  readonly external: ExternalInfrastructure;
  readonly kafkaHeap: string;
  readonly registryHeap: string;
  /**
   * PX3_STACK_SASL_SSL: Kafka also listens for SASL_SSL (SCRAM-SHA-512/256, a certificate signed by a
   * CA generated in the stack's folder) on `ports.kafkaSaslSsl`, and the stack's environment points
   * clients at it. Off by default.
   */
  readonly kafkaSaslSsl: boolean;
}

export interface StackPorts {
  readonly kafka: number;
  readonly kafkaController: number;
  /** The SASL_SSL listener, used only when the stack runs with `kafkaSaslSsl`. */
  readonly kafkaSaslSsl: number;
  readonly registry: number;
  readonly registryManagement: number;
  readonly postgres: number;
}

export interface ExternalInfrastructure {
  readonly kafkaBrokers?: string;
  readonly schemaRegistryUrl?: string;
  readonly databaseUrl?: string;
}

export const DEFAULT_PORTS: StackPorts = {
  kafka: 9092,
  kafkaController: 9093,
  kafkaSaslSsl: 9094,
  registry: 8081,
  registryManagement: 9001,
  postgres: 5432,
};

/** Database created in the embedded PostgreSQL for the services. */
export const EMBEDDED_DATABASE = 'pardot_x3';
export const EMBEDDED_DATABASE_USER = 'postgres';
export const EMBEDDED_DATABASE_PASSWORD = 'pardot-x3-local';

export function findRepositoryRoot(start: string = process.cwd()): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(`Cannot find the pardot-x3 repository root (a folder with nx.json) above ${start}`);
    }
    dir = parent;
  }
}

function port(env: NodeJS.ProcessEnv, name: string, base: number, offset: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return base + offset;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0 || value > 65_535) {
    throw new Error(`${name} must be a TCP port number (1-65535), got "${raw}"`);
  }
  return value;
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name]?.trim().toLowerCase() ?? '';
  if (raw === '' || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw new Error(`${name} must be 1/true/yes or 0/false/no, got "${env[name]}"`);
}

/**
 * Reads the stack configuration from the environment:
 *   PX3_STACK_HOME      data/logs folder of this instance (default <root>/.stack)
 *   PX3_CACHE_DIR       download cache (default <root>/.cache)
 *   PX3_PORT_OFFSET     added to every default port, to run several stacks side by side
 *   PX3_STACK_SASL_SSL  1/true: Kafka also listens for SASL_SSL (SCRAM, locally generated CA), clients use it
 *   PX3_KAFKA_PORT, PX3_KAFKA_CONTROLLER_PORT, PX3_KAFKA_SASL_SSL_PORT, PX3_REGISTRY_PORT, PX3_REGISTRY_MANAGEMENT_PORT, PX3_POSTGRES_PORT
 *   KAFKA_BROKERS, SCHEMA_REGISTRY_URL, DATABASE_URL   use existing infrastructure instead
 */
export function loadStackConfig(
  env: NodeJS.ProcessEnv = process.env,
  rootDir = findRepositoryRoot(),
): StackConfig {
  const offsetRaw = env['PX3_PORT_OFFSET'] ?? '0';
  const offset = Number(offsetRaw);
  if (!Number.isInteger(offset) || offset < 0 || offset > 50_000) {
    throw new Error(`PX3_PORT_OFFSET must be a whole number from 0 to 50000, got "${offsetRaw}"`);
  }
  const nonEmpty = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  return {
    rootDir,
    homeDir: resolve(rootDir, env['PX3_STACK_HOME'] ?? '.stack'),
    cacheDir: resolve(rootDir, env['PX3_CACHE_DIR'] ?? '.cache'),
    assetsDir: fileURLToPath(new URL('../assets', import.meta.url)),
    host: '127.0.0.1',
    ports: {
      kafka: port(env, 'PX3_KAFKA_PORT', DEFAULT_PORTS.kafka, offset),
      kafkaController: port(env, 'PX3_KAFKA_CONTROLLER_PORT', DEFAULT_PORTS.kafkaController, offset),
      kafkaSaslSsl: port(env, 'PX3_KAFKA_SASL_SSL_PORT', DEFAULT_PORTS.kafkaSaslSsl, offset),
      registry: port(env, 'PX3_REGISTRY_PORT', DEFAULT_PORTS.registry, offset),
      registryManagement: port(env, 'PX3_REGISTRY_MANAGEMENT_PORT', DEFAULT_PORTS.registryManagement, offset),
      postgres: port(env, 'PX3_POSTGRES_PORT', DEFAULT_PORTS.postgres, offset),
    },
    external: {
      kafkaBrokers: nonEmpty('KAFKA_BROKERS'),
      schemaRegistryUrl: nonEmpty('SCHEMA_REGISTRY_URL'),
      databaseUrl: nonEmpty('DATABASE_URL'),
    },
    kafkaHeap: env['PX3_KAFKA_HEAP'] ?? '512m',
    registryHeap: env['PX3_REGISTRY_HEAP'] ?? '384m',
    kafkaSaslSsl: flag(env, 'PX3_STACK_SASL_SSL'),
  };
}
