import { mkdirSync } from 'node:fs';
import { KafkaComponent } from './components/kafka.component.js';
import { PostgresComponent } from './components/postgres.component.js';
import { SchemaRegistryComponent } from './components/schema-registry.component.js';
import type { ComponentName, ComponentStatus, StackComponent } from './components/stack-component.js';
import { stopProcess } from './process-supervisor.js';
import { loadStackConfig, type StackConfig } from './stack-config.js';

export interface StackEnvironment {
  readonly KAFKA_BROKERS: string;
  readonly SCHEMA_REGISTRY_URL: string;
  readonly DATABASE_URL: string;
  /** Set when Kafka runs with its SASL_SSL listener (PX3_STACK_SASL_SSL): KAFKA_BROKERS is that listener. */
  readonly KAFKA_SSL?: 'true';
  readonly KAFKA_SSL_CA_FILE?: string;
  readonly KAFKA_SASL_MECHANISM?: 'scram-sha-512';
  readonly KAFKA_SASL_USERNAME?: string;
  /** Secret (a local, generated password). */
  readonly KAFKA_SASL_PASSWORD?: string;
}

/**
 * The local stack: a real Kafka broker, a real Confluent-compatible schema registry and a real
 * PostgreSQL, each a detached OS process under one ignored folder. A part named by KAFKA_BROKERS,
 * SCHEMA_REGISTRY_URL or DATABASE_URL is used as it is and not started.
 */
export class LocalStack {
  readonly config: StackConfig;
  private readonly components: readonly StackComponent[];

  constructor(config: StackConfig = loadStackConfig()) {
    this.config = config;
    const all: StackComponent[] = [];
    if (!config.external.databaseUrl) all.push(new PostgresComponent(config));
    if (!config.external.kafkaBrokers) all.push(new KafkaComponent(config));
    if (!config.external.schemaRegistryUrl) all.push(new SchemaRegistryComponent(config));
    this.components = all;
  }

  /** Starts every embedded part (in parallel) and resolves once all serve requests. */
  async up(log: (line: string) => void = () => undefined): Promise<StackEnvironment> {
    mkdirSync(this.config.homeDir, { recursive: true });
    // Downloads and storage formatting first, one after the other (Maven's local repository is shared).
    for (const component of this.components) await component.prepare(log);
    const results = await Promise.allSettled(this.components.map((c) => c.start(log)));
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    if (failures.length > 0) {
      await this.down();
      throw new AggregateError(failures, failures.map((f) => f.message).join('\n\n'));
    }
    return this.environment();
  }

  /** Stops every embedded part; resolves once none of their processes is left. */
  async down(): Promise<Record<ComponentName, string>> {
    const outcomes = await Promise.all(this.components.map(async (c) => [c.name, await c.stop()] as const));
    return Object.fromEntries(outcomes) as Record<ComponentName, string>;
  }

  status(): ComponentStatus[] {
    const embedded = this.components.map((c) => c.status());
    const { external } = this.config;
    const externals: ComponentStatus[] = [];
    if (external.kafkaBrokers)
      externals.push({ name: 'kafka', state: 'external', address: external.kafkaBrokers });
    if (external.schemaRegistryUrl)
      externals.push({ name: 'schema-registry', state: 'external', address: external.schemaRegistryUrl });
    if (external.databaseUrl)
      externals.push({ name: 'postgres', state: 'external', address: redactUrl(external.databaseUrl) });
    return [...embedded, ...externals];
  }

  isRunning(): boolean {
    return this.components.every((c) => c.status().state === 'running');
  }

  environment(): StackEnvironment {
    const env: Record<string, string> = {};
    for (const c of this.components) Object.assign(env, c.environment());
    const { external } = this.config;
    if (external.kafkaBrokers) env['KAFKA_BROKERS'] = external.kafkaBrokers;
    if (external.schemaRegistryUrl) env['SCHEMA_REGISTRY_URL'] = external.schemaRegistryUrl;
    if (external.databaseUrl) env['DATABASE_URL'] = external.databaseUrl;
    return env as unknown as StackEnvironment;
  }

  /**
   * Stops one embedded part: gracefully (its own shutdown signal, as `down` does) or, with `kill`, by
   * SIGKILL of its process group — a crash, no chance to flush or deregister. For fault tests (the
   * chaos suite): use a stack instance of their own, never one other programs share.
   */
  async stopComponent(
    name: ComponentName,
    options: { readonly kill?: boolean } = {},
  ): Promise<'stopped' | 'killed' | 'not-running'> {
    const component = this.component(name);
    if (!options.kill) return component.stop();
    return stopProcess(component.process, 'SIGKILL', 10_000);
  }

  /** Starts one embedded part again (after `stopComponent`) and resolves once it serves requests. */
  async startComponent(name: ComponentName, log: (line: string) => void = () => undefined): Promise<void> {
    await this.component(name).start(log);
  }

  logFiles(): Partial<Record<ComponentName, string>> {
    return Object.fromEntries(this.components.map((c) => [c.name, c.process.logFile]));
  }

  private component(name: ComponentName): StackComponent {
    const component = this.components.find((c) => c.name === name);
    if (!component)
      throw new Error(`${name} is not an embedded part of this stack (it is external or unknown)`);
    return component;
  }
}

/** Hides the password of a connection URL for display. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
  }
}
