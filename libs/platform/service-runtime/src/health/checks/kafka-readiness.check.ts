import { Kafka, logLevel, type Admin, type KafkaConfig as KafkaJsConfig, type SASLOptions } from 'kafkajs';
import {
  explainKafkaConnectionError,
  kafkaClientSecurity,
  type HttpServerConfig,
  type KafkaClientSecurity,
  type KafkaConfig,
} from '@pardot-x3/config';
import type { ReadinessCheck } from '../readiness-check.types.js';

export interface KafkaReadinessCheckOptions {
  /** Kafka client id of the probe, e.g. "mdm-readiness" (default "<KAFKA_CLIENT_ID or pardot-x3>-readiness"). */
  readonly clientId?: string;
}

/**
 * "Kafka reachable": the cluster answers a metadata request (kafkajs admin `describeCluster`) and
 * reports at least one broker, within READINESS_CHECK_TIMEOUT_MS. The admin connection is opened on the first probe and reused; a failed
 * probe drops it so the next one reconnects from scratch. The probe's own client never logs (failures
 * are reported by /health/ready).
 */
export class KafkaReadinessCheck implements ReadinessCheck {
  readonly name = 'kafka';
  private readonly kafka: Kafka;
  private readonly security: KafkaClientSecurity;
  private admin?: Admin;
  private connecting?: Promise<void>;

  constructor(
    private readonly config: KafkaConfig & Partial<Pick<HttpServerConfig, 'READINESS_CHECK_TIMEOUT_MS'>>,
    options: KafkaReadinessCheckOptions = {},
  ) {
    const timeoutMs = config.READINESS_CHECK_TIMEOUT_MS ?? 2_000;
    // Reads KAFKA_SSL_CA_FILE (an unreadable file fails the boot, naming the setting).
    this.security = kafkaClientSecurity(config);
    const { ssl, sslCa } = this.security;
    this.kafka = new Kafka({
      clientId: options.clientId ?? `${config.KAFKA_CLIENT_ID ?? 'pardot-x3'}-readiness`,
      brokers: config.KAFKA_BROKERS.split(',').map((b) => b.trim()),
      ssl: ssl && sslCa !== undefined ? { ca: [sslCa] } : ssl,
      sasl: saslOptions(config),
      connectionTimeout: timeoutMs,
      requestTimeout: timeoutMs,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    } satisfies KafkaJsConfig);
  }

  async check(): Promise<void> {
    const admin = (this.admin ??= this.kafka.admin({ retry: { retries: 0 } }));
    try {
      this.connecting ??= admin.connect();
      await this.connecting;
      const cluster = await admin.describeCluster();
      if (cluster.brokers.length === 0) throw new Error('the cluster reports no brokers');
    } catch (error) {
      await this.reset();
      const brokers = this.config.KAFKA_BROKERS.split(',').map((b) => b.trim());
      const explained = explainKafkaConnectionError(error, { brokers, ...this.security });
      // Refused credentials or an untrusted certificate: the explanation names the setting to fix.
      if (explained !== error && explained instanceof Error) throw explained;
      throw new Error(
        `Kafka at ${this.config.KAFKA_BROKERS} is not reachable: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  async close(): Promise<void> {
    await this.reset();
  }

  private async reset(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    this.connecting = undefined;
    await admin?.disconnect().catch(() => undefined);
  }
}

function saslOptions(config: KafkaConfig): SASLOptions | undefined {
  const mechanism = config.KAFKA_SASL_MECHANISM;
  if (!mechanism) return undefined;
  const username = config.KAFKA_SASL_USERNAME ?? '';
  const password = config.KAFKA_SASL_PASSWORD ?? '';
  switch (mechanism) {
    case 'plain':
      return { mechanism, username, password };
    case 'scram-sha-256':
      return { mechanism, username, password };
    case 'scram-sha-512':
      return { mechanism, username, password };
  }
}
