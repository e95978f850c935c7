import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { copyDependencies } from '../maven-artifacts.js';
import { resolveJava, type JavaRuntime } from '../java-runtime.js';
import { runningPid, startDetached, stopProcess, type SupervisedProcess } from '../process-supervisor.js';
import { tcpAccepts, waitUntil } from '../readiness.js';
import type { StackConfig } from '../stack-config.js';
import type { ComponentStatus, StackComponent } from './stack-component.js';

const run = promisify(execFile);
export const KAFKA_VERSION = '4.4.0';
const STARTED_LINE = 'Kafka Server started';

/** Apache Kafka 4.x, single combined broker+controller in KRaft mode, on loopback. */
export class KafkaComponent implements StackComponent {
  readonly name = 'kafka' as const;
  readonly process: SupervisedProcess;
  private readonly dir: string;
  private readonly dataDir: string;
  private readonly libsDir: string;
  private java?: JavaRuntime;

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
    writeFileSync(propertiesFile, this.serverProperties());
    if (!existsSync(join(this.dataDir, 'meta.properties'))) {
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
        ],
        { maxBuffer: 8 * 1024 * 1024 },
      );
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
    log(`kafka ready on ${this.bootstrap} (${Date.now() - logStart} ms)`);
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
      address: this.bootstrap,
      dataDir: this.dataDir,
      logFile: this.process.logFile,
    };
  }

  environment(): Record<string, string> {
    return { KAFKA_BROKERS: this.bootstrap };
  }

  private logOptions(): string[] {
    return [
      `-Dlog4j2.configurationFile=${join(this.config.assetsDir, 'kafka-log4j2.properties')}`,
      `-Dkafka.logs.dir=${this.dir}`,
    ];
  }

  private serverProperties(): string {
    const { host, ports } = this.config;
    return [
      '# Generated by the pardot-x3 local stack; edit libs/ops/local-stack/src/components/kafka.component.ts instead.',
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@${host}:${ports.kafkaController}`,
      `listeners=PLAINTEXT://${host}:${ports.kafka},CONTROLLER://${host}:${ports.kafkaController}`,
      `advertised.listeners=PLAINTEXT://${host}:${ports.kafka}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
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
