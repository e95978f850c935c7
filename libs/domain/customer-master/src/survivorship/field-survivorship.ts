import type { FieldProvenance, SourceEntity, SourceSystem } from '../customer/customer.types.js';
import type { SurvivorshipPolicy, SurvivorshipRule } from './survivorship-policy.types.js';

/** Where a candidate value comes from. */
export interface ValueSource {
  readonly system: SourceSystem;
  readonly entity: SourceEntity;
  readonly sourceId: string;
  readonly observedAt: number;
}

/** A value one source offers for a mastered field (null: the source says it is empty). */
export interface FieldCandidate {
  readonly value: unknown;
  readonly source: ValueSource;
}

/**
 * Compares two candidates under a field's rule: positive when `a` wins. A total order (rule tier,
 * then source time, then the tie-break order of systems, then entity, id and value), so the winner of
 * any set of candidates is the same whatever order they arrive in.
 */
export function compareCandidates(
  rule: SurvivorshipRule,
  policy: SurvivorshipPolicy,
  a: FieldCandidate,
  b: FieldCandidate,
): number {
  return (
    tier(rule, a.source.system) - tier(rule, b.source.system) ||
    a.source.observedAt - b.source.observedAt ||
    policy.tieBreak.indexOf(b.source.system) - policy.tieBreak.indexOf(a.source.system) ||
    compareText(b.source.entity, a.source.entity) ||
    compareText(b.source.sourceId, a.source.sourceId) ||
    compareText(canonicalJson(b.value), canonicalJson(a.value))
  );
}

/** May this candidate hold the field at all? (Not when the owner alone may set it.) */
export function isEligible(rule: SurvivorshipRule, candidate: FieldCandidate): boolean {
  return !(
    rule.kind === 'system-of-record' &&
    rule.otherwise === 'none' &&
    candidate.source.system !== rule.system
  );
}

/** The winning candidate; undefined when none may hold the field. */
export function chooseSurvivor(
  rule: SurvivorshipRule,
  policy: SurvivorshipPolicy,
  candidates: readonly FieldCandidate[],
): FieldCandidate | undefined {
  return candidates
    .filter((candidate) => isEligible(rule, candidate))
    .reduce<FieldCandidate | undefined>(
      (best, candidate) =>
        best === undefined || compareCandidates(rule, policy, candidate, best) > 0 ? candidate : best,
      undefined,
    );
}

/** The provenance of a winning value, with the sentence explaining why it won. */
export function provenanceOf(field: string, rule: SurvivorshipRule, winner: FieldCandidate): FieldProvenance {
  const { system, entity, sourceId, observedAt } = winner.source;
  const from = `${system} ${entity} ${sourceId}, changed ${new Date(observedAt).toISOString()}`;
  let explanation: string;
  switch (rule.kind) {
    case 'system-of-record':
      explanation =
        system === rule.system
          ? `${rule.system} is the system of record for ${field}: value from ${from}`
          : `${rule.system}, the system of record for ${field}, has not provided it yet, so the most recent change wins meanwhile: value from ${from}`;
      break;
    case 'last-writer-wins':
      explanation = `the most recent change wins (last-writer-wins): value from ${from}`;
      break;
    case 'source-priority':
      explanation = `systems rank ${rule.systems.join(' > ')} for ${field}; ${system} is the highest that provided it: value from ${from}`;
      break;
  }
  return { system, entity, sourceId, observedAt, rule: rule.kind, explanation };
}

/** Why an offered value did not replace the current one. */
export function explainLoss(
  field: string,
  rule: SurvivorshipRule,
  policy: SurvivorshipPolicy,
  offered: FieldCandidate,
  current: FieldCandidate,
): string {
  const offer = `the change from ${offered.source.system} ${offered.source.entity} ${offered.source.sourceId}`;
  const held = `${current.source.system} ${current.source.entity} ${current.source.sourceId}`;
  if (rule.kind === 'system-of-record' && offered.source.system !== rule.system) {
    return rule.otherwise === 'none' || current.source.system === rule.system
      ? `${rule.system} is the system of record for ${field}; ${offer} is not taken`
      : `${offer} is older than the value from ${held}`;
  }
  if (
    rule.kind === 'source-priority' &&
    tier(rule, offered.source.system) < tier(rule, current.source.system)
  ) {
    return `${current.source.system} ranks above ${offered.source.system} for ${field} (${rule.systems.join(' > ')}); ${offer} is not taken`;
  }
  if (offered.source.observedAt === current.source.observedAt)
    return `${offer} has the same source time as the value from ${held}, which wins the tie-break (${policy.tieBreak.join(' > ')})`;
  return `${offer} (${new Date(offered.source.observedAt).toISOString()}) is older than the value from ${held} (${new Date(current.source.observedAt).toISOString()})`;
}

/** JSON with sorted keys: equal values, equal text. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function tier(rule: SurvivorshipRule, system: SourceSystem): number {
  if (rule.kind === 'system-of-record') return system === rule.system ? 1 : 0;
  if (rule.kind === 'source-priority') {
    const index = rule.systems.indexOf(system);
    return index === -1 ? -rule.systems.length : -index;
  }
  return 0;
}
