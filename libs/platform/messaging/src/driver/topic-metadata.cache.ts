import type { DriverAdmin } from './kafka-driver.types.js';

/** Raised for a topic that does not exist: topics come from the catalog, never from a client. */
export class TopicNotFoundError extends Error {
  readonly topic: string;

  constructor(topic: string) {
    super(
      `Topic ${topic} does not exist. Create the catalog's topics first: \`./pardot-x3 topics create\` (never auto-created).`,
    );
    this.name = 'TopicNotFoundError';
    this.topic = topic;
  }
}

/**
 * Partition counts of topics, asked once per topic and kept for `ttlMs`, through one lazily connected
 * admin client. The producer needs them to choose partitions itself.
 */
export class TopicMetadataCache {
  private connected?: Promise<void>;
  private readonly counts = new Map<string, { readonly partitions: Promise<number>; readonly at: number }>();

  constructor(
    private readonly admin: DriverAdmin,
    private readonly ttlMs = 60_000,
  ) {}

  partitionCount(topic: string): Promise<number> {
    const cached = this.counts.get(topic);
    if (cached && Date.now() - cached.at < this.ttlMs) return cached.partitions;
    const partitions = this.fetch(topic);
    partitions.catch(() => this.counts.delete(topic));
    this.counts.set(topic, { partitions, at: Date.now() });
    return partitions;
  }

  async close(): Promise<void> {
    if (this.connected) {
      this.connected = undefined;
      await this.admin.disconnect();
    }
  }

  private async fetch(topic: string): Promise<number> {
    this.connected ??= this.admin.connect();
    try {
      await this.connected;
    } catch (error) {
      this.connected = undefined;
      throw error;
    }
    const [description] = await this.admin.describeTopics([topic]);
    if (!description || description.partitions === 0) throw new TopicNotFoundError(topic);
    return description.partitions;
  }
}
