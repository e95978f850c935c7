import { z } from 'zod';
import { secret } from './secret-setting.js';

const hostPortList = z
  .string()
  .trim()
  .regex(
    /^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/,
    'must be a comma-separated host:port list, e.g. 127.0.0.1:9092',
  );

const httpUrl = z
  .string()
  .trim()
  .url('must be an http(s) URL')
  .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL');

/** A whole number from `min` to `max`, with a message that says so (instead of "received NaN"). */
export function wholeNumber(min: number, max: number, unit = ''): z.ZodCoercedNumber<unknown> {
  const message = `must be a whole number${unit} from ${min} to ${max}`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(max, message);
}

/** A duration in whole milliseconds from `min` to `max`. */
export function milliseconds(min: number, max: number): z.ZodCoercedNumber<unknown> {
  return wholeNumber(min, max, ' of milliseconds');
}

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const kafkaConfigSchema = z.object({
  KAFKA_BROKERS: hostPortList.describe('Kafka bootstrap servers, comma-separated host:port'),
  KAFKA_CLIENT_ID: z.string().min(1).optional().describe('Kafka client id (default: the service name)'),
  KAFKA_SSL: booleanFlag.default(false).describe('connect to Kafka over TLS'),
  KAFKA_SSL_CA_FILE: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(
      "PEM file of the certificate authorities that signed the brokers' certificates (a private or self-signed CA), trusted instead of the system's; needs KAFKA_SSL=true",
    ),
  KAFKA_SASL_MECHANISM: z
    .enum(['plain', 'scram-sha-256', 'scram-sha-512'])
    .optional()
    .describe('SASL mechanism, when the cluster needs one'),
  KAFKA_SASL_USERNAME: z.string().optional().describe('SASL user name'),
  KAFKA_SASL_PASSWORD: secret(z.string().optional().describe('SASL password')),
  KAFKA_CLIENT: z
    .enum(['kafkajs', 'platformatic'])
    .default('kafkajs')
    .describe('Kafka client library: kafkajs or platformatic (@platformatic/kafka); see docs/messaging.md'),
  PX3_STATE_DIR: z
    .string()
    .min(1)
    .optional()
    .describe(
      'directory where consumers mark the messages in hand, so a message the process exits on 3 times in a row is dead-lettered instead of crash-looping (default: a folder per service instance under the system temp directory; in Kubernetes an emptyDir)',
    ),
  PX3_TOPIC_NAMESPACE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]*\.$|^$/, 'must be empty or lower-case words ending in a dot, e.g. "staging."')
    .default('')
    .describe('prefix of every topic and schema subject, to run several environments on one cluster'),
});

export const schemaRegistryConfigSchema = z.object({
  SCHEMA_REGISTRY_URL: httpUrl.describe(
    'Confluent-compatible schema registry base URL (Apicurio: .../apis/ccompat/v7)',
  ),
  SCHEMA_REGISTRY_USERNAME: z.string().optional().describe('registry basic-auth user'),
  SCHEMA_REGISTRY_PASSWORD: secret(z.string().optional().describe('registry basic-auth password')),
});

export const databaseConfigSchema = z.object({
  DATABASE_URL: secret(
    z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection URL')
      .describe('PostgreSQL connection URL (it contains the password)'),
  ),
  DATABASE_POOL_SIZE: wholeNumber(2, 100)
    .default(10)
    .describe(
      'connections in the pool (at least 2: migrations at boot hold a lock on one connection while they apply on another)',
    ),
});

const port = wholeNumber(1, 65_535);
const PORT_DESCRIPTION = 'HTTP port for /health, /metrics and the service routes';

export const httpServerConfigSchema = z.object({
  PORT: port.describe(PORT_DESCRIPTION),
  HOST: z
    .string()
    .trim()
    .min(1)
    .default('127.0.0.1')
    .describe(
      'interface the HTTP server binds: loopback unless told otherwise (0.0.0.0 = every interface, as in a container)',
    ),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace'])
    .default('info')
    .describe('log level'),
  SHUTDOWN_GRACE_MS: wholeNumber(0, 600_000, ' of milliseconds')
    .default(25_000)
    .describe(
      'milliseconds allowed to finish in-flight work after SIGTERM/SIGINT before the process is forced out (exit code 3)',
    ),
  READINESS_CHECK_TIMEOUT_MS: wholeNumber(100, 30_000, ' of milliseconds')
    .default(2_000)
    .describe(
      'milliseconds each readiness check (Kafka, registry, database) may take before /health/ready reports it failed',
    ),
  PX3_VERSION: z
    .string()
    .min(1)
    .optional()
    .describe("version reported by px3_build_info (default: the app's package.json version)"),
});

/** The HTTP server fragment with a service's own default port (3001-3006; PORT still overrides it). */
export function httpServerConfigSchemaWithPort(defaultPort: number) {
  return httpServerConfigSchema.extend({ PORT: port.default(defaultPort).describe(PORT_DESCRIPTION) });
}

/** What every service runtime reads, whichever default port its schema gives. */
export type HttpServerConfig = z.output<typeof httpServerConfigSchema>;

export { booleanFlag, hostPortList, httpUrl };

export type KafkaConfig = z.output<typeof kafkaConfigSchema>;
export type SchemaRegistryConfig = z.output<typeof schemaRegistryConfigSchema>;
export type DatabaseConfig = z.output<typeof databaseConfigSchema>;
