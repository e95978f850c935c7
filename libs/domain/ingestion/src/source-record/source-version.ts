import type { SourceRecordChanged } from '@pardot-x3/canonical';

/**
 * Which version of a source record an event carries: the source's change time and, where the source
 * has one, a counter that grows with every change (X3 `UPDTICK`, a Salesforce CDC replay id). Two
 * reads of the same version (a webhook and a poll, two overlapping polls) have equal versions.
 */
export interface SourceVersion {
  /** Epoch milliseconds of the change at the source. */
  readonly changedAt: number;
  /** A per-record counter, when the source keeps one. */
  readonly sequence?: number;
}

/** Positive when `a` is a later version than `b`, 0 when they are the same version. */
export function compareSourceVersions(a: SourceVersion, b: SourceVersion): number {
  if (a.sequence !== undefined && b.sequence !== undefined && a.sequence !== b.sequence)
    return a.sequence - b.sequence;
  return a.changedAt - b.changedAt;
}

/** True when `candidate` is newer than the last version already published (or nothing was published). */
export function isNewerSourceVersion(
  candidate: SourceVersion,
  published: SourceVersion | undefined,
): boolean {
  return published === undefined || compareSourceVersions(candidate, published) > 0;
}

/**
 * The identity of one version of one source record, e.g. `X3:SEED:BPCUSTOMER:C00001@7:1795600000000`. Event ids are
 * derived from it, so the same version read twice (webhook and poll, an overlapping window, a restart)
 * becomes the same event, which consumers skip the second time.
 */
export function sourceVersionIdentity(change: SourceRecordChanged, version: SourceVersion): string {
  const stamp =
    version.sequence !== undefined ? `${version.sequence}:${version.changedAt}` : `${version.changedAt}`;
  return `${change.system}:${change.sourceInstance ?? ''}:${change.entity}:${change.recordId}@${stamp}`;
}
