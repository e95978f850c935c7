import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { findRepositoryRoot, LocalStack, loadStackConfig } from '@pardot-x3/local-stack';

export interface SaslSslKafkaOptions {
  /** Stack folder of this broker, relative to the repository root (default `.stack-sasl`). */
  readonly home?: string;
  /** Added to the stack's default ports (default 40: 9132 PLAINTEXT, 9133 controller, 9134 SASL_SSL). */
  readonly portOffset?: number;
  readonly log?: (line: string) => void;
}

/** The settings a client needs for the SASL_SSL listener, as a service reads them from its environment. */
export interface SaslSslKafkaEnvironment {
  readonly KAFKA_BROKERS: string;
  readonly KAFKA_SSL: 'true';
  readonly KAFKA_SSL_CA_FILE: string;
  readonly KAFKA_SASL_MECHANISM: 'scram-sha-512';
  readonly KAFKA_SASL_USERNAME: string;
  readonly KAFKA_SASL_PASSWORD: string;
}

export interface SaslSslKafka {
  readonly env: SaslSslKafkaEnvironment;
  /** The broker's PLAINTEXT listener on loopback (inter-broker; for contrast in tests). */
  readonly plaintextBrokers: string;
  /** Milliseconds from the call to a broker serving SASL_SSL (certificates, format and JVM start included). */
  readonly startMs: number;
  /** Stops the broker and deletes its folder. */
  stop(): Promise<void>;
}

/**
 * A Kafka broker of its own with a SASL_SSL listener (SCRAM-SHA-512/256, a CA generated for this run),
 * separate from the shared test stack: its own folder and ports, fresh every time. Only Kafka is
 * started (the registry and PostgreSQL of the shared stack stay as they are).
 */
export async function startSaslSslKafka(options: SaslSslKafkaOptions = {}): Promise<SaslSslKafka> {
  const started = Date.now();
  const home = join(findRepositoryRoot(), options.home ?? '.stack-sasl');
  const stack = new LocalStack(
    loadStackConfig({
      ...process.env,
      PX3_STACK_HOME: home,
      PX3_PORT_OFFSET: String(options.portOffset ?? 40),
      PX3_STACK_SASL_SSL: '1',
      // Only Kafka is embedded here: the other two parts count as external and are never started.
      KAFKA_BROKERS: '',
      SCHEMA_REGISTRY_URL: 'http://127.0.0.1:1',
      DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused',
      PX3_KAFKA_PORT: '',
      PX3_KAFKA_CONTROLLER_PORT: '',
      PX3_KAFKA_SASL_SSL_PORT: '',
    }),
  );
  const stop = async (): Promise<void> => {
    await stack.stopComponent('kafka');
    rmSync(home, { recursive: true, force: true });
  };
  // A broker left over by an interrupted run of this folder is stopped; then a fresh folder.
  await stop();
  try {
    const env = await stack.up(options.log);
    return {
      env: {
        KAFKA_BROKERS: env.KAFKA_BROKERS,
        KAFKA_SSL: 'true',
        KAFKA_SSL_CA_FILE: required(env.KAFKA_SSL_CA_FILE, 'KAFKA_SSL_CA_FILE'),
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: required(env.KAFKA_SASL_USERNAME, 'KAFKA_SASL_USERNAME'),
        KAFKA_SASL_PASSWORD: required(env.KAFKA_SASL_PASSWORD, 'KAFKA_SASL_PASSWORD'),
      },
      plaintextBrokers: `${stack.config.host}:${stack.config.ports.kafka}`,
      startMs: Date.now() - started,
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`the SASL_SSL stack did not report ${name}`);
  return value;
}
