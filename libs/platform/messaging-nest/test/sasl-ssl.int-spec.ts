import { Injectable, Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  TOPICS,
  type ConsumerGroupDefinition,
  type CustomerObservation,
  type TopicCatalog,
} from '@pardot-x3/canonical';
import { kafkaConfigSchema, loadConfig } from '@pardot-x3/config';
import { loadMessagingConfig, Messaging, onEvent, type MessagingConfig } from '@pardot-x3/messaging';
import { createLogger, type Logger } from '@pardot-x3/observability';
import { startSaslSslKafka, stackEnv, uniqueNamespace, waitFor, type SaslSslKafka } from '@pardot-x3/testing';
import { KafkaReadinessCheck } from '@pardot-x3/service-runtime';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer, HandleEvent, MessagingModule } from '../src/index.js';

const topic = TOPICS.customerObservationRecordedV1;
const group: ConsumerGroupDefinition = {
  name: 'mdm.sasl-ssl-test',
  description: 'test',
  topics: [topic.name],
  retryDelaysMs: [300],
};
const catalog: TopicCatalog = {
  topics: [{ ...topic, partitions: 1 }],
  consumerGroups: [group],
  replicationFactor: 1,
  minInsyncReplicas: 1,
  derived: {
    replay: { retentionMs: 3_600_000 },
    retry: { partitions: 1, retentionMs: 3_600_000 },
    redrive: { partitions: 1, retentionMs: 3_600_000 },
    deadLetter: { partitions: 1, retentionMs: 3_600_000 },
  },
};

function observation(sourceId: string): CustomerObservation {
  return {
    sourceSystem: 'X3',
    sourceEntity: 'BPCUSTOMER',
    sourceId,
    observedAt: new Date('2026-12-07T10:00:00.000Z'),
    deleted: false,
    email: 'jane.doe@acme.example',
    firstName: 'Jane',
    lastName: 'Doe',
    companyName: 'ACME Industries',
    phone: '+33142685300',
    address: null,
    customerCode: sourceId,
    customerGroup: 'KEY',
    currencyCode: 'EUR',
    paymentTerms: '30NET',
    creditStatus: 'OK',
    totalRevenue: null,
    lastPurchaseDate: null,
    industrySegment: null,
    pardotGrade: null,
    pardotScore: null,
    customFields: {},
    clearedFields: [],
    links: [],
    quarantinedFields: [],
  };
}

function quietLogger(service: string, level: 'error' | 'fatal' = 'error'): Logger {
  return createLogger({
    service,
    level: (process.env['TEST_LOG_LEVEL'] as 'error' | undefined) ?? level,
    destination: process.stderr,
  });
}

@Injectable()
@EventConsumer(group)
class ObservationHandler {
  @HandleEvent(topic)
  async onObservation(): Promise<void> {
    // A service's consumer: never reached with the wrong password.
  }
}

@Module({})
class WrongPasswordAppModule {}

/**
 * Kafka over TLS and SASL/SCRAM for real: a broker of its own (`.stack-sasl`, ports 9132-9134) with a
 * SASL_SSL listener whose certificate is signed by a CA generated for this run, and the messaging layer
 * configured from the environment as a service is (KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_*). The
 * schema registry is the shared test stack's.
 */
describe.skipIf(process.env['PX3_TESTCONTAINERS'] === '1')('Kafka over SASL_SSL (SCRAM)', () => {
  let broker: SaslSslKafka;
  const opened: Messaging[] = [];

  const environment = (overrides: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...broker.env,
    SCHEMA_REGISTRY_URL: stackEnv().SCHEMA_REGISTRY_URL,
    PX3_TOPIC_NAMESPACE: uniqueNamespace('sasl'),
    ...overrides,
  });
  const messagingFor = async (config: MessagingConfig): Promise<Messaging> => {
    const messaging = await Messaging.create({
      config,
      logger: quietLogger(config.service),
      metricsRegistry: new Registry(),
    });
    opened.push(messaging);
    return messaging;
  };

  beforeAll(async () => {
    broker = await startSaslSslKafka({ log: (line) => console.error(`[sasl-ssl] ${line}`) });
    console.error(`[sasl-ssl] SASL_SSL broker started in ${broker.startMs} ms`);
  });

  afterAll(async () => {
    await Promise.allSettled(opened.map((m) => m.close()));
    await broker?.stop();
  });

  it('provisions topics, produces and runs a consumer through the SASL_SSL listener', async () => {
    const messaging = await messagingFor(loadMessagingConfig('sasl-ssl-test', environment()));
    expect(messaging.config).toMatchObject({ ssl: true, sasl: { mechanism: 'scram-sha-512' } });
    expect(messaging.config.sslCa).toContain('-----BEGIN CERTIFICATE-----');

    // Admin: topic provisioning, then the readiness checks (describeCluster) over SASL_SSL.
    const { topics } = await messaging.provision(catalog);
    expect(topics.missing).toEqual([]);
    expect((await (await messaging.admin()).describeCluster()).brokers).toBe(1);

    const received: string[] = [];
    const runner = messaging.consumer({
      group,
      handlers: [
        onEvent(topic, async (event: CustomerObservation) => {
          received.push(event.sourceId);
        }),
      ],
    });
    await runner.start();
    for (const check of messaging.readinessChecks()) await check.check();
    const sent = await messaging.producer.sendAll(
      ['S1', 'S2', 'S3'].map((id) => ({ topic, value: observation(id) })),
    );
    expect(sent).toHaveLength(3);
    await waitFor(async () => received.length === 3, {
      timeoutMs: 30_000,
      description: 'the 3 events to be consumed over SASL_SSL',
    });
    expect(received.sort()).toEqual(['S1', 'S2', 'S3']);
    expect(runner.health()).toMatchObject({ healthy: true });
    await runner.stop();
  });

  it('accepts SCRAM-SHA-256 too', async () => {
    const messaging = await messagingFor(
      loadMessagingConfig('sasl-ssl-256', environment({ KAFKA_SASL_MECHANISM: 'scram-sha-256' })),
    );
    expect((await (await messaging.admin()).describeCluster()).brokers).toBe(1);
  });

  it('with a wrong password, a service does not boot: the error names KAFKA_SASL_USERNAME/PASSWORD and the broker answer', async () => {
    const wrong = 'not-the-password-42';
    const config = loadMessagingConfig('sasl-wrong-password', environment({ KAFKA_SASL_PASSWORD: wrong }));
    const expected =
      /Kafka at 127\.0\.0\.1:9134 refused the SASL SCRAM-SHA-512 credentials of user "px3-local": check KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD\. The broker answered: .*Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512/;

    // A NestJS service with a consumer: its boot fails at once with the reason, it never runs.
    const root: DynamicModule = {
      module: WrongPasswordAppModule,
      imports: [
        MessagingModule.forRoot({
          service: 'sasl-wrong-password',
          config,
          logger: quietLogger('sasl-wrong-password', 'fatal'),
          metricsRegistry: new Registry(),
        }),
      ],
      providers: [ObservationHandler],
    };
    const started = Date.now();
    // createApplicationContext runs the bootstrap hooks (consumers start there).
    const failure = await NestFactory.createApplicationContext(root, {
      logger: false,
      abortOnError: false,
    }).then(
      async (app) => {
        await app.close();
        return undefined;
      },
      (error: unknown) => error as Error,
    );
    const elapsed = Date.now() - started;
    expect(failure?.message).toMatch(expected);
    expect(failure?.message).not.toContain(wrong);
    // An authentication failure is final: no minutes of retries.
    expect(elapsed).toBeLessThan(10_000);

    // The same reason from the messaging layer's readiness check (/health/ready) and topic provisioning.
    const messaging = await messagingFor(config);
    const kafkaCheck = messaging.readinessChecks().find((c) => c.name === 'kafka');
    await expect(kafkaCheck?.check()).rejects.toThrow(expected);
    await expect(messaging.provision(catalog)).rejects.toThrow(expected);
  });

  it("the service runtime's Kafka readiness check: ready with the CA, and without it an error naming KAFKA_SSL_CA_FILE", async () => {
    const settings = (env: NodeJS.ProcessEnv) => ({
      ...loadConfig('sasl-readiness', kafkaConfigSchema, env),
      READINESS_CHECK_TIMEOUT_MS: 5_000,
    });
    const ready = new KafkaReadinessCheck(settings(environment()), { clientId: 'sasl-readiness' });
    try {
      await ready.check();
    } finally {
      await ready.close();
    }
    const { KAFKA_SSL_CA_FILE: _ca, ...withoutCa } = environment();
    const untrusted = new KafkaReadinessCheck(settings(withoutCa), { clientId: 'sasl-readiness' });
    try {
      await expect(untrusted.check()).rejects.toThrow(
        /Kafka at 127\.0\.0\.1:9134: the broker's TLS certificate is not trusted; set KAFKA_SSL_CA_FILE to the PEM file of the CA that signed it\. TLS said: .*self-signed certificate in certificate chain/,
      );
    } finally {
      await untrusted.close();
    }
  });

  it('refuses a CA file without KAFKA_SSL, and a CA file that cannot be read, at boot', () => {
    expect(() => loadMessagingConfig('sasl-config', environment({ KAFKA_SSL: 'false' }))).toThrow(
      /KAFKA_SSL_CA_FILE is set .* but KAFKA_SSL is not true/,
    );
    expect(() =>
      loadMessagingConfig('sasl-config', environment({ KAFKA_SSL_CA_FILE: '/nonexistent/ca.pem' })),
    ).toThrow(/KAFKA_SSL_CA_FILE names \/nonexistent\/ca.pem, which cannot be read \(ENOENT\)/);
  });
});
