import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  addScramArguments,
  ensureSaslSslMaterial,
  readSaslSslMaterial,
  saslSslServerProperties,
  SCRAM_MECHANISMS,
  type SaslSslMaterial,
} from '../kafka-sasl-ssl.js';
import { copyDependencies } from '../maven-artifacts.js';
import { resolveJava, type JavaRuntime } from '../java-runtime.js';
import { runningPid, startDetached, stopProcess, type SupervisedProcess } from '../process-supervisor.js';
import { tcpAccepts, waitUntil } from '../readiness.js';
import type { StackConfig } from '../stack-config.js';
import type { ComponentStatus, StackComponent } from './stack-component.js';

const run = promisify(execFile);
export const KAFKA_VERSION = '4.4.0';
const STARTED_LINE = 'Kafka Server started';
/** Written at format time when the SCRAM users were created (they can only be added to fresh storage here). */
const SCRAM_MARKER = 'scram-users';

/** Apache Kafka 4.x, single combined broker+controller in KRaft mode, on loopback. */
export class KafkaComponent implements StackComponent {
  readonly name = 'kafka' as const;
  readonly process: SupervisedProcess;
  private readonly dir: string;
  private readonly dataDir: string;
  private readonly libsDir: string;
  private java?: JavaRuntime;
  private saslSsl?: SaslSslMaterial;

  constructor(private readonly config: StackConfig) {
    this.dir = join(config.homeDir, 'kafka');
    this.dataDir = join(this.dir, 'data');
    this.libsDir = join(config.cacheDir, 'stack', `kafka-${KAFKA_VERSION}`, 'libs');
    this.process = {
      name: 'kafka',
      pidFile: join(this.dir, 'kafka.pid'),
      logFile: join(config.homeDir, 'logs', 'kafka.log'),
    };
  }

  get bootstrap(): string {
    return `${this.config.host}:${this.config.ports.kafka}`;
  }

  /** The SASL_SSL listener's address, when this broker was prepared with one. */
  get saslSslBootstrap(): string | undefined {
    return this.saslSslMaterial() ? `${this.config.host}:${this.config.ports.kafkaSaslSsl}` : undefined;
  }

  async prepare(log: (line: string) => void): Promise<void> {
    await copyDependencies({
      pom: join(this.config.assetsDir, 'kafka.pom.xml'),
      outputDir: this.libsDir,
      describe: `resolving Apache Kafka ${KAFKA_VERSION} jars from Maven Central`,
      log,
    });
    this.java = await resolveJava(17, this.config.cacheDir, log);
    mkdirSync(this.dataDir, { recursive: true });
    const propertiesFile = join(this.dir, 'server.properties');
    const formatted = existsSync(join(this.dataDir, 'meta.properties'));
    if (this.config.kafkaSaslSsl) {
      if (formatted && !existsSync(join(this.dir, SCRAM_MARKER))) {
        throw new Error(
          `The Kafka storage in ${this.dataDir} was formatted without SCRAM users, and they can only be created when it is formatted: ` +
            'start the SASL_SSL broker in a stack folder of its own (PX3_STACK_HOME=.stack-sasl PX3_PORT_OFFSET=40), ' +
            'or delete this one (./pardot-x3 stack down --purge).',
        );
      }
      this.saslSsl = await ensureSaslSslMaterial(this.dir, this.config.host);
    }
    const running = runningPid(this.process) !== undefined;
    const runningWithSaslSsl =
      running && existsSync(propertiesFile) && readFileSync(propertiesFile, 'utf8').includes('SASL_SSL://');
    if (running && runningWithSaslSsl !== this.config.kafkaSaslSsl) {
      throw new Error(
        `Kafka already runs ${runningWithSaslSsl ? 'with' : 'without'} its SASL_SSL listener: stop it first (./pardot-x3 stack down), then start it ${this.config.kafkaSaslSsl ? 'with' : 'without'} --sasl-ssl.`,
      );
    }
    writeFileSync(propertiesFile, this.serverProperties());
    if (!formatted) {
      const clusterIdFile = join(this.dir, 'cluster-id');
      if (!existsSync(clusterIdFile)) writeFileSync(clusterIdFile, randomClusterId());
      const clusterId = readFileSync(clusterIdFile, 'utf8').trim();
      await run(
        this.java.binary,
        [
          ...this.logOptions(),
          '-cp',
          `${this.libsDir}/*`,
          'kafka.tools.StorageTool',
          'format',
          '--ignore-formatted',
          '-t',
          clusterId,
          '-c',
          propertiesFile,
          ...(this.saslSsl ? addScramArguments(this.saslSsl) : []),
        ],
        { maxBuffer: 8 * 1024 * 1024 },
      );
      if (this.saslSsl) writeFileSync(join(this.dir, SCRAM_MARKER), `${SCRAM_MECHANISMS.join(',')}\n`);
    }
  }

  async start(log: (line: string) => void): Promise<void> {
    // The log is appended to: only a "started" line written after this point means this start is done.
    let logOffset = 0;
    if (runningPid(this.process) === undefined) {
      logOffset = existsSync(this.process.logFile) ? statSync(this.process.logFile).size : 0;
      if (await tcpAccepts(this.config.host, this.config.ports.kafka)) {
        throw new Error(
          `Port ${this.config.ports.kafka} is already in use by another program: set PX3_KAFKA_PORT or PX3_PORT_OFFSET, or point KAFKA_BROKERS at that broker.`,
        );
      }
      if (this.config.kafkaSaslSsl && (await tcpAccepts(this.config.host, this.config.ports.kafkaSaslSsl))) {
        throw new Error(
          `Port ${this.config.ports.kafkaSaslSsl} (Kafka's SASL_SSL listener) is already in use by another program: set PX3_KAFKA_SASL_SSL_PORT or PX3_PORT_OFFSET.`,
        );
      }
      const java = this.java ?? (await resolveJava(17, this.config.cacheDir, log));
      startDetached(this.process, {
        command: java.binary,
        args: [
          `-Xms256m`,
          `-Xmx${this.config.kafkaHeap}`,
          '-XX:+UseG1GC',
          '-XX:MaxGCPauseMillis=20',
          '-XX:+ExplicitGCInvokesConcurrent',
          '-Djava.awt.headless=true',
          ...this.logOptions(),
          '-cp',
          `${this.libsDir}/*`,
          'kafka.Kafka',
          join(this.dir, 'server.properties'),
        ],
      });
    }
    const logStart = Date.now();
    await waitUntil(
      async () =>
        (await tcpAccepts(this.config.host, this.config.ports.kafka)) &&
        readFileSync(this.process.logFile).subarray(logOffset).toString('utf8').includes(STARTED_LINE),
      {
        component: 'Kafka',
        logFile: this.process.logFile,
        timeoutMs: 90_000,
        alive: () => runningPid(this.process) !== undefined,
      },
    );
    const sasl = this.saslSslBootstrap;
    log(
      `kafka ready on ${this.bootstrap}${sasl ? ` and ${sasl} (SASL_SSL)` : ''} (${Date.now() - logStart} ms)`,
    );
  }

  stop(): Promise<'stopped' | 'killed' | 'not-running'> {
    return stopProcess(this.process, 'SIGTERM', 30_000);
  }

  status(): ComponentStatus {
    const pid = runningPid(this.process);
    return {
      name: this.name,
      state: pid ? 'running' : 'stopped',
      pid,
      address: this.saslSslBootstrap
        ? `${this.bootstrap}, ${this.saslSslBootstrap} (SASL_SSL)`
        : this.bootstrap,
      dataDir: this.dataDir,
      logFile: this.process.logFile,
    };
  }

  /**
   * KAFKA_BROKERS, and with a SASL_SSL listener the settings a service needs to use it: its address,
   * KAFKA_SSL, KAFKA_SSL_CA_FILE, KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD.
   */
  environment(): Record<string, string> {
    const material = this.saslSslMaterial();
    if (!material) return { KAFKA_BROKERS: this.bootstrap };
    return {
      KAFKA_BROKERS: `${this.config.host}:${this.config.ports.kafkaSaslSsl}`,
      KAFKA_SSL: 'true',
      KAFKA_SSL_CA_FILE: material.caFile,
      KAFKA_SASL_MECHANISM: SCRAM_MECHANISMS[0].toLowerCase(),
      KAFKA_SASL_USERNAME: material.username,
      KAFKA_SASL_PASSWORD: material.password,
    };
  }

  /**
   * The SASL_SSL material in use: asked for by this configuration, or (for `stack env` and `status`
   * without the flag) that of a broker running with a SASL_SSL listener.
   */
  private saslSslMaterial(): SaslSslMaterial | undefined {
    if (this.saslSsl) return this.saslSsl;
    const propertiesFile = join(this.dir, 'server.properties');
    const asked = this.config.kafkaSaslSsl;
    const runningWithIt =
      runningPid(this.process) !== undefined &&
      existsSync(propertiesFile) &&
      readFileSync(propertiesFile, 'utf8').includes('SASL_SSL://');
    return asked || runningWithIt ? readSaslSslMaterial(this.dir) : undefined;
  }

  private logOptions(): string[] {
    return [
      `-Dlog4j2.configurationFile=${join(this.config.assetsDir, 'kafka-log4j2.properties')}`,
      `-Dkafka.logs.dir=${this.dir}`,
    ];
  }

  private serverProperties(): string {
    const { host, ports } = this.config;
    const sasl = this.saslSsl;
    const listeners = [
      `PLAINTEXT://${host}:${ports.kafka}`,
      ...(sasl ? [`SASL_SSL://${host}:${ports.kafkaSaslSsl}`] : []),
    ];
    return [
      '# Generated by the pardot-x3 local stack; edit libs/ops/local-stack/src/components/kafka.component.ts instead.',
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${host}:${ports.kafkaController}`,
      `listeners=${listeners.join(',')},CONTROLLER://${host}:${ports.kafkaController}`,
      `advertised.listeners=${listeners.join(',')}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      `listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT${sasl ? ',SASL_SSL:SASL_SSL' : ''}`,
      ...(sasl ? saslSslServerProperties(sasl) : []),
      `log.dirs=${this.dataDir}`,
      'num.partitions=1',
      // Topics come from the catalog (schemas/topics.yaml), never from a client's first use.
      'auto.create.topics.enable=false',
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'log.retention.check.interval.ms=60000',
      'log.cleaner.backoff.ms=1000',
      '',
    ].join('\n');
  }
}

/** A KRaft cluster id: 16 random bytes, base64url, never starting with '-' (the tool reads that as a flag). */
function randomClusterId(): string {
  for (;;) {
    const id = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
