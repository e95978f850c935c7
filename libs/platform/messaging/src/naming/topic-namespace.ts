import { NAMESPACE_PATTERN, valueSubjectName } from '@pardot-x3/canonical';

/**
 * The environment prefix of every topic, consumer group and schema subject (PX3_TOPIC_NAMESPACE,
 * e.g. "staging."), so several environments, or several tests, share one cluster and one registry.
 * Catalog names are logical; what reaches Kafka and the registry is `prefix + name`.
 */
export class TopicNamespace {
  readonly prefix: string;

  constructor(prefix = '') {
    if (!NAMESPACE_PATTERN.test(prefix)) {
      throw new Error(
        `The topic namespace must be empty or lower-case words ending in a dot, e.g. "staging.", got "${prefix}"`,
      );
    }
    this.prefix = prefix;
  }

  /** Physical topic name. */
  topic(name: string): string {
    return this.prefix + name;
  }

  /** Physical consumer group id. */
  group(name: string): string {
    return this.prefix + name;
  }

  /** Value subject of a topic (TopicNameStrategy), namespace included. */
  subject(topic: string): string {
    return valueSubjectName(this.prefix + topic);
  }

  /** The logical name of a physical one, or undefined when it is outside this namespace. */
  logical(physical: string): string | undefined {
    return physical.startsWith(this.prefix) ? physical.slice(this.prefix.length) : undefined;
  }
}
