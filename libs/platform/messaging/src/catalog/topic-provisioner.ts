import type { TopicCatalog } from '@pardot-x3/canonical';
import { DriverCapabilityError } from '../driver/driver-capability.error.js';
import type { DriverAdmin } from '../driver/kafka-driver.types.js';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import type { ProgressListener } from '../operations/progress.types.js';
import { isPardotTopic, MANAGED_CONFIGS, planTopics, type PlannedTopic } from './topic-plan.js';

/** One setting of one topic that differs from the catalog. */
export interface TopicDifference {
  readonly topic: string;
  /** `partitions`, `replication.factor` or a topic config key. */
  readonly setting: string;
  readonly expected: string;
  readonly actual: string;
}

export interface DriftReport {
  /** Catalog topics the cluster lacks. */
  readonly missing: readonly PlannedTopic[];
  /** Existing topics whose settings differ from the catalog. */
  readonly differences: readonly TopicDifference[];
  /** Topics of this namespace with pardot-x3 names that the catalog does not list (left alone). */
  readonly notInCatalog: readonly string[];
  /** Catalog topics present with the expected settings. */
  readonly matching: number;
  /** False when the driver cannot read topic configurations: only partitions and replication were compared. */
  readonly configsCompared: boolean;
}

export function hasDrift(report: DriftReport): boolean {
  return report.missing.length > 0 || report.differences.length > 0;
}

/**
 * Creates the catalog's topics on a cluster and reports drift between catalog and cluster. Creation is
 * idempotent (existing topics are left as they are, never deleted or altered: a partition count or a
 * retention change on a live topic is a deliberate operation, reported as drift).
 */
export class TopicProvisioner {
  constructor(
    private readonly admin: DriverAdmin,
    private readonly namespace: TopicNamespace,
  ) {}

  /** The catalog's topics for this cluster (replication capped at its broker count). */
  async plan(catalog: TopicCatalog): Promise<PlannedTopic[]> {
    const { brokers } = await this.admin.describeCluster();
    return planTopics(catalog, this.namespace, brokers);
  }

  async drift(catalog: TopicCatalog): Promise<DriftReport> {
    const plan = await this.plan(catalog);
    const existing = new Set(await this.admin.listTopics());
    const present = plan.filter((t) => existing.has(t.name));
    const descriptions = new Map(
      (await this.admin.describeTopics(present.map((t) => t.name))).map((d) => [d.name, d]),
    );
    let configs: Record<string, Record<string, string>> | undefined;
    try {
      configs = await this.admin.describeTopicConfigs(present.map((t) => t.name));
    } catch (error) {
      if (!(error instanceof DriverCapabilityError)) throw error;
    }
    const differences: TopicDifference[] = [];
    for (const topic of present) {
      const description = descriptions.get(topic.name);
      if (description && description.partitions !== topic.partitions) {
        differences.push({
          topic: topic.name,
          setting: 'partitions',
          expected: String(topic.partitions),
          actual: String(description.partitions),
        });
      }
      if (description && description.replicationFactor !== topic.replicationFactor) {
        differences.push({
          topic: topic.name,
          setting: 'replication.factor',
          expected: String(topic.replicationFactor),
          actual: String(description.replicationFactor),
        });
      }
      if (!configs) continue;
      const actual = configs[topic.name] ?? {};
      for (const key of MANAGED_CONFIGS) {
        const expected = topic.configs[key];
        if (expected !== undefined && actual[key] !== expected) {
          differences.push({ topic: topic.name, setting: key, expected, actual: actual[key] ?? '(unset)' });
        }
      }
    }
    const planned = new Set(plan.map((t) => t.name));
    const notInCatalog = [...existing]
      .filter((name) => !planned.has(name) && isPardotTopic(name, this.namespace))
      .sort();
    const differing = new Set(differences.map((d) => d.topic));
    return {
      missing: plan.filter((t) => !existing.has(t.name)),
      differences,
      notInCatalog,
      matching: present.filter((t) => !differing.has(t.name)).length,
      configsCompared: configs !== undefined,
    };
  }

  /** Creates the missing topics (all at once); returns them and the drift that remains. */
  async create(
    catalog: TopicCatalog,
    options: { readonly dryRun?: boolean; readonly onProgress?: ProgressListener } = {},
  ): Promise<{ readonly created: readonly PlannedTopic[]; readonly report: DriftReport }> {
    const before = await this.drift(catalog);
    if (options.dryRun || before.missing.length === 0)
      return { created: options.dryRun ? before.missing : [], report: before };
    const total = before.missing.length;
    let done = 0;
    // In slices, so a large catalog shows progress and a broker is never asked for hundreds at once.
    for (let i = 0; i < total; i += 25) {
      const slice = before.missing.slice(i, i + 25);
      await this.admin.createTopics(
        slice.map((t) => ({
          name: t.name,
          partitions: t.partitions,
          replicationFactor: t.replicationFactor,
          configs: t.configs,
        })),
      );
      done += slice.length;
      options.onProgress?.({ done, total, item: slice[slice.length - 1]?.name });
    }
    return { created: before.missing, report: await this.drift(catalog) };
  }
}
