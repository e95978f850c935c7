import { z } from 'zod';

const hostPortList = z
  .string()
  .trim()
  .regex(/^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/, 'must be a comma-separated host:port list, e.g. 127.0.0.1:9092');

const httpUrl = z
  .string()
  .trim()
  .url('must be an http(s) URL')
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const kafkaConfigSchema = z.object({
  KAFKA_BROKERS: hostPortList.describe('Kafka bootstrap servers, comma-separated host:port'),
  KAFKA_CLIENT_ID: z.string().min(1).optional().describe('Kafka client id (default: the service name)'),
  KAFKA_SSL: booleanFlag.default(false).describe('connect to Kafka over TLS'),
  KAFKA_SASL_MECHANISM: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).optional().describe('SASL mechanism, when the cluster needs one'),
  KAFKA_SASL_USERNAME: z.string().optional().describe('SASL user name'),
  KAFKA_SASL_PASSWORD: z.string().optional().describe('SASL password (secret)'),
  PX3_TOPIC_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]*\.$|^$/, 'must be empty or lower-case words ending in a dot, e.g. "staging."')
    .default('')
    .describe('prefix of every topic and schema subject, to run several environments on one cluster'),
});

export const schemaRegistryConfigSchema = z.object({
  SCHEMA_REGISTRY_URL: httpUrl.describe('Confluent-compatible schema registry base URL (Apicurio: .../apis/ccompat/v7)'),
  SCHEMA_REGISTRY_USERNAME: z.string().optional().describe('registry basic-auth user'),
  SCHEMA_REGISTRY_PASSWORD: z.string().optional().describe('registry basic-auth password (secret)'),
});

export const databaseConfigSchema = z.object({
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL')
    .describe('PostgreSQL connection URL (secret: contains the password)'),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10).describe('connections in the pool'),
});

export const httpServerConfigSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65_535).describe('HTTP port for /health, /metrics and the service routes'),
  HOST: z.string().default('0.0.0.0').describe('interface the HTTP server binds'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info').describe('log level'),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).default(25_000).describe('time allowed to finish in-flight work on SIGTERM'),
});

export { booleanFlag, hostPortList, httpUrl };
