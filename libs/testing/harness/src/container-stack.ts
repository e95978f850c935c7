import { createServer } from 'node:net';
import { PostgreSqlContainer, type StartedPostgreSqlContainer } from '@testcontainers/postgresql';
import { GenericContainer, getContainerRuntimeClient, Wait, type StartedTestContainer } from 'testcontainers';

/**
 * The images of deploy/docker-compose.yml: the same Kafka, registry and PostgreSQL versions as the
 * local stack (libs/ops/local-stack) and the compose file.
 */
export const CONTAINER_IMAGES = {
  kafka: 'apache/kafka:4.4.0',
  schemaRegistry: 'apicurio/apicurio-registry:3.3.3',
  postgres: 'postgres:18.4',
} as const;

/** The infrastructure of a test run in containers, and how to stop it. */
export interface ContainerStack {
  readonly env: {
    readonly KAFKA_BROKERS: string;
    readonly SCHEMA_REGISTRY_URL: string;
    readonly DATABASE_URL: string;
  };
  stop(): Promise<void>;
}

/** Thrown when PX3_TESTCONTAINERS=1 asks for containers and no container engine answers. */
export class ContainerEngineUnavailableError extends Error {
  constructor(cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      `PX3_TESTCONTAINERS=1 asks for Kafka, the schema registry and PostgreSQL in containers, but no ` +
        `container engine answers (${reason}). Start Docker (or set DOCKER_HOST), or unset ` +
        `PX3_TESTCONTAINERS to use the local stack, which needs no Docker.`,
      { cause },
    );
    this.name = 'ContainerEngineUnavailableError';
  }
}

/**
 * Starts Kafka (KRaft, one node), Apicurio Registry (its Confluent-compatible API) and PostgreSQL as
 * containers through testcontainers — the opt-in alternative to the local stack for machines with a
 * Docker engine (`PX3_TESTCONTAINERS=1`). Kafka advertises the host and port the tests reach it on: a
 * free host port is chosen first and bound to the broker's listener, because the broker must name its
 * address in metadata before the mapping would otherwise be known.
 */
export async function startContainerStack(log: (line: string) => void): Promise<ContainerStack> {
  let host: string;
  try {
    host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  } catch (error) {
    throw new ContainerEngineUnavailableError(error);
  }
  const started: StartedTestContainer[] = [];
  const track = <C extends StartedTestContainer>(container: C): C => {
    started.push(container);
    return container;
  };
  const stop = async (): Promise<void> => {
    await Promise.allSettled(started.map((container) => container.stop()));
  };
  try {
    const kafkaPort = await freeHostPort();
    log(
      `starting ${CONTAINER_IMAGES.kafka}, ${CONTAINER_IMAGES.schemaRegistry}, ${CONTAINER_IMAGES.postgres}`,
    );
    const [kafka, registry, postgres] = await Promise.all([
      new GenericContainer(CONTAINER_IMAGES.kafka)
        .withExposedPorts({ container: 9092, host: kafkaPort })
        .withEnvironment({
          KAFKA_NODE_ID: '1',
          KAFKA_PROCESS_ROLES: 'broker,controller',
          KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
          KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
          KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${kafkaPort}`,
          KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
          KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
          KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
          KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
          KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
          KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR: '1',
          KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR: '1',
          KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
        })
        .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
        .withStartupTimeout(180_000)
        .start()
        .then(track),
      new GenericContainer(CONTAINER_IMAGES.schemaRegistry)
        .withExposedPorts(8080)
        .withWaitStrategy(Wait.forHttp('/apis/ccompat/v7/subjects', 8080).forStatusCode(200))
        .withStartupTimeout(180_000)
        .start()
        .then(track),
      new PostgreSqlContainer(CONTAINER_IMAGES.postgres)
        .withDatabase('pardot_x3')
        .withUsername('postgres')
        .withPassword('pardot-x3-tests')
        .start()
        .then((container: StartedPostgreSqlContainer) => track(container)),
    ]);
    const env = {
      KAFKA_BROKERS: `${kafka.getHost()}:${kafkaPort}`,
      SCHEMA_REGISTRY_URL: `http://${registry.getHost()}:${registry.getMappedPort(8080)}/apis/ccompat/v7`,
      DATABASE_URL: postgres.getConnectionUri(),
    };
    log(`containers ready: Kafka ${env.KAFKA_BROKERS}, registry ${env.SCHEMA_REGISTRY_URL}`);
    return { env, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A TCP port nobody listens on now (asked of the OS), for a fixed host binding. */
async function freeHostPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
