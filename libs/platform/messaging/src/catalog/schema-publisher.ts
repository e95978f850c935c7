import {
  createAvroType,
  DeadLetterSchema,
  deadLetterTopicName,
  type AvroRecordSchema,
  type TopicCatalog,
} from '@pardot-x3/canonical';
import type { TopicNamespace } from '../naming/topic-namespace.js';
import type { ProgressListener } from '../operations/progress.types.js';
import {
  SchemaRegistryRequestError,
  type CompatibilityLevel,
  type SchemaRegistryClient,
} from '../serde/schema-registry-client.js';

/**
 * The compatibility of every subject: a consumer with the new schema reads every older version
 * (transitive, because topics are replayed and dead letters re-driven long after they were written).
 */
export const SUBJECT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD_TRANSITIVE';
const STRICT_ENOUGH: readonly CompatibilityLevel[] = ['BACKWARD_TRANSITIVE', 'FULL_TRANSITIVE'];

/** A subject the catalog registers: `<namespace><topic>-value` (TopicNameStrategy). */
export interface PlannedSubject {
  readonly subject: string;
  /** Catalog topic (event topic or a group's dead-letter topic). */
  readonly topic: string;
  readonly schema: AvroRecordSchema<unknown>;
}

export type SubjectStatus =
  | 'registered' // a new version was registered
  | 'unchanged' // the registry already has exactly this schema
  | 'would-register' // dry run: would register a new version
  | 'new' // check: the subject does not exist yet
  | 'compatible' // check: the registry would accept it
  | 'incompatible'; // refused: breaks compatibility with an earlier version

export interface SubjectResult {
  readonly subject: string;
  readonly topic: string;
  readonly status: SubjectStatus;
  readonly id?: number;
  /** Why it is incompatible, or a warning (e.g. a weaker compatibility level on the subject). */
  readonly detail?: string;
}

/** The value subjects of the catalog: every event topic, and every group's dead-letter topic (DeadLetter). */
export function planSubjects(catalog: TopicCatalog, namespace: TopicNamespace): PlannedSubject[] {
  return [
    ...catalog.topics.map((t) => ({ subject: namespace.subject(t.name), topic: t.name, schema: t.value })),
    ...catalog.consumerGroups.map((g) => ({
      subject: namespace.subject(deadLetterTopicName(g.name)),
      topic: deadLetterTopicName(g.name),
      schema: DeadLetterSchema as AvroRecordSchema<unknown>,
    })),
  ];
}

/**
 * Registers the catalog's schemas, CI/CD style (services never register: producers only look up the
 * id of their schema), and checks schema changes against a registry before they are deployed.
 */
export class SchemaPublisher {
  constructor(
    private readonly registry: SchemaRegistryClient,
    private readonly namespace: TopicNamespace,
  ) {}

  /**
   * Sets each subject's compatibility to BACKWARD_TRANSITIVE, then registers its schema. An incompatible
   * schema is refused by the registry and reported (status `incompatible`), the others still registered.
   */
  async register(
    catalog: TopicCatalog,
    options: { readonly dryRun?: boolean; readonly onProgress?: ProgressListener } = {},
  ): Promise<SubjectResult[]> {
    const subjects = planSubjects(catalog, this.namespace);
    const results: SubjectResult[] = [];
    for (const [i, planned] of subjects.entries()) {
      results.push(await this.registerOne(planned, options.dryRun === true));
      options.onProgress?.({ done: i + 1, total: subjects.length, item: planned.subject });
    }
    return results;
  }

  /** For each subject: unchanged, new, compatible or incompatible (with the reason), without writing. */
  async check(
    catalog: TopicCatalog,
    options: { readonly onProgress?: ProgressListener } = {},
  ): Promise<SubjectResult[]> {
    const subjects = planSubjects(catalog, this.namespace);
    const results: SubjectResult[] = [];
    for (const [i, planned] of subjects.entries()) {
      results.push(await this.checkOne(planned));
      options.onProgress?.({ done: i + 1, total: subjects.length, item: planned.subject });
    }
    return results;
  }

  async checkOne(planned: PlannedSubject): Promise<SubjectResult> {
    const { subject, topic, schema } = planned;
    const existing = await this.registry.lookupId(subject, schema.json);
    const level = await this.registry.getCompatibility(subject);
    const warning =
      level !== undefined && !STRICT_ENOUGH.includes(level)
        ? `subject compatibility is ${level}, expected ${SUBJECT_COMPATIBILITY}`
        : undefined;
    if (existing !== undefined) return { subject, topic, status: 'unchanged', id: existing, detail: warning };
    const compatible = await this.registry.testCompatibility(subject, schema.json);
    if (compatible === undefined) return { subject, topic, status: 'new' };
    if (compatible) return { subject, topic, status: 'compatible', detail: warning };
    return {
      subject,
      topic,
      status: 'incompatible',
      detail: await this.explainIncompatibility(subject, schema.json),
    };
  }

  /**
   * Registers each version of each history in order (oldest first) under `<scratch><subject>` with
   * BACKWARD_TRANSITIVE: the registry itself decides whether every version can read all earlier ones.
   * Used by CI with the schemas' git history and a throwaway namespace.
   */
  async verifyHistory(
    histories: readonly { readonly subject: string; readonly versions: readonly string[] }[],
    scratchPrefix: string,
    options: { readonly onProgress?: ProgressListener } = {},
  ): Promise<SubjectResult[]> {
    const results: SubjectResult[] = [];
    for (const [i, history] of histories.entries()) {
      const subject = `${scratchPrefix}${history.subject}`;
      let result: SubjectResult = {
        subject: history.subject,
        topic: history.subject.replace(/-value$/, ''),
        status: 'registered',
      };
      for (const [v, version] of history.versions.entries()) {
        try {
          result = { ...result, id: await this.registry.register(subject, version, SUBJECT_COMPATIBILITY) };
        } catch (error) {
          if (!(error instanceof SchemaRegistryRequestError) || error.status !== 409) throw error;
          result = {
            ...result,
            status: 'incompatible',
            detail: `version ${v + 1} of ${history.versions.length} cannot read an earlier one: ${await this.explainIncompatibility(subject, version)}`,
          };
          break;
        }
      }
      results.push(result);
      options.onProgress?.({ done: i + 1, total: histories.length, item: history.subject });
    }
    return results;
  }

  private async registerOne(planned: PlannedSubject, dryRun: boolean): Promise<SubjectResult> {
    const { subject, topic, schema } = planned;
    const existing = await this.registry.lookupId(subject, schema.json);
    if (existing !== undefined) {
      if (!dryRun && (await this.registry.getCompatibility(subject)) !== SUBJECT_COMPATIBILITY) {
        await this.registry.setCompatibility(subject, SUBJECT_COMPATIBILITY);
      }
      return { subject, topic, status: 'unchanged', id: existing };
    }
    if (dryRun) {
      const compatible = await this.registry.testCompatibility(subject, schema.json);
      if (compatible === false)
        return {
          subject,
          topic,
          status: 'incompatible',
          detail: await this.explainIncompatibility(subject, schema.json),
        };
      return { subject, topic, status: 'would-register' };
    }
    try {
      return {
        subject,
        topic,
        status: 'registered',
        id: await this.registry.register(subject, schema.json, SUBJECT_COMPATIBILITY),
      };
    } catch (error) {
      if (error instanceof SchemaRegistryRequestError && error.status === 409) {
        return {
          subject,
          topic,
          status: 'incompatible',
          detail: await this.explainIncompatibility(subject, schema.json),
        };
      }
      throw error;
    }
  }

  /**
   * Says which registered version the schema cannot read and why (avsc's resolver: the new schema as
   * reader, each old version as writer), since the registry's answer is a bare yes or no.
   */
  private async explainIncompatibility(subject: string, schemaJson: string): Promise<string> {
    let reader;
    try {
      reader = createAvroType(schemaJson);
    } catch (error) {
      return `the schema does not parse: ${(error as Error).message}`;
    }
    const reasons: string[] = [];
    for (const version of await this.registry.versions(subject)) {
      const { schema } = await this.registry.schemaAt(subject, version);
      try {
        reader.createResolver(createAvroType(schema));
      } catch (error) {
        reasons.push(`cannot read version ${version}: ${(error as Error).message}`);
      }
    }
    return reasons.length > 0 ? reasons.join('; ') : 'refused by the registry under its compatibility rules';
  }
}
