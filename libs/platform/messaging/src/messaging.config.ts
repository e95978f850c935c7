import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  kafkaClientSecurity,
  kafkaConfigSchema,
  loadConfig,
  schemaRegistryConfigSchema,
} from '@pardot-x3/config';
import { z } from 'zod';
import type { KafkaDriverName } from './driver/kafka-driver.types.js';

/** The environment variables of the messaging layer (zod schema: keys are variable names). */
export const messagingConfigSchema = kafkaConfigSchema.extend(schemaRegistryConfigSchema.shape);

export type MessagingEnvironment = z.output<typeof messagingConfigSchema>;

export interface MessagingConfig {
  /** The service (Kafka client id default, CloudEvents source). */
  readonly service: string;
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly ssl: boolean;
  /** KAFKA_SSL_CA_FILE's PEM text: the authorities trusted for the brokers' certificates (default: the system's). */
  readonly sslCa?: string;
  readonly sasl?: {
    readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
    readonly username: string;
    readonly password: string;
  };
  readonly schemaRegistry: { readonly url: string; readonly username?: string; readonly password?: string };
  /** PX3_TOPIC_NAMESPACE: prefix of every topic, group and subject ("" in production). */
  readonly namespace: string;
  readonly driver: KafkaDriverName;
  /** PX3_STATE_DIR: this process instance's in-flight markers (poison-pill detection). */
  readonly stateDir?: string;
}

/** The messaging configuration from validated environment values. */
export function messagingConfigFrom(service: string, env: MessagingEnvironment): MessagingConfig {
  // Reads KAFKA_SSL_CA_FILE; refuses a CA without KAFKA_SSL and a mechanism without credentials.
  const security = kafkaClientSecurity(env);
  return {
    service,
    brokers: env.KAFKA_BROKERS.split(',').map((b) => b.trim()),
    clientId: env.KAFKA_CLIENT_ID ?? service,
    ssl: security.ssl,
    ...(security.sslCa !== undefined ? { sslCa: security.sslCa } : {}),
    sasl: security.sasl,
    schemaRegistry: {
      url: env.SCHEMA_REGISTRY_URL,
      username: env.SCHEMA_REGISTRY_USERNAME,
      password: env.SCHEMA_REGISTRY_PASSWORD,
    },
    namespace: env.PX3_TOPIC_NAMESPACE,
    driver: env.KAFKA_CLIENT,
    stateDir: env.PX3_STATE_DIR ?? defaultStateDir(service, env),
  };
}

/** Validates the environment (every problem listed at once, secrets never echoed) and returns the configuration. */
export function loadMessagingConfig(service: string, env: NodeJS.ProcessEnv = process.env): MessagingConfig {
  return messagingConfigFrom(service, loadConfig(service, messagingConfigSchema, env));
}

/**
 * One folder per service instance, stable across its restarts: the service, its topic namespace and its
 * HTTP port (two replicas on one machine listen on different ports).
 */
function defaultStateDir(service: string, env: MessagingEnvironment): string {
  const port = (env as { PORT?: unknown }).PORT;
  const instance = `${env.PX3_TOPIC_NAMESPACE}${service}${typeof port === 'number' ? `-${port}` : ''}`;
  return join(tmpdir(), 'pardot-x3', 'consumer-state', instance.replace(/[^A-Za-z0-9._-]/g, '_'));
}
