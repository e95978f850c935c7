import type { VisitorActivity } from '../activity/visitor-activity.types.js';
import type { EngagementPolicy } from './engagement-policy.js';

const DAY = 86_400_000;

/** The "Last Engagement Score" of one customer at a moment, and what went into it. */
export interface EngagementScore {
  /** 0 … maxScore, one decimal. */
  readonly score: number;
  /** Most recent activity with a positive weight (a real engagement, not an email sent); ms. */
  readonly lastEngagementAt?: number;
  /** Same, as YYYY-MM-DD (UTC), for the X3 date field. */
  readonly lastEngagementDate?: string;
  readonly asOf: number;
  /** Activities counted (distinct ids within the horizon). */
  readonly counted: number;
  /** Type codes seen that have no weight in the policy (counted as 0). */
  readonly unweightedTypes: readonly number[];
}

/**
 * score = min(maxScore, max(0, Σ weight(type) × 0.5^(age in days / halfLifeDays))), over the distinct
 * activities of the last horizonDays; age is measured at `asOf` (activities dated after it count as
 * age 0). Duplicates (same id) count once, so re-reading an overlapping window changes nothing.
 */
export function computeEngagementScore(
  activities: Iterable<VisitorActivity>,
  asOf: number,
  policy: EngagementPolicy,
): EngagementScore {
  const distinct = new Map<string, VisitorActivity>();
  for (const activity of activities) if (!distinct.has(activity.id)) distinct.set(activity.id, activity);
  let sum = 0;
  let counted = 0;
  let lastEngagementAt: number | undefined;
  const unweighted = new Set<number>();
  for (const activity of distinct.values()) {
    const age = Math.max(0, asOf - activity.createdAt);
    if (age > policy.horizonDays * DAY) continue;
    counted += 1;
    const weight = policy.weights.get(activity.type);
    if (weight === undefined) {
      unweighted.add(activity.type);
      continue;
    }
    sum += weight * 0.5 ** (age / DAY / policy.halfLifeDays);
    if (weight > 0 && (lastEngagementAt === undefined || activity.createdAt > lastEngagementAt))
      lastEngagementAt = activity.createdAt;
  }
  const score = Math.round(Math.min(policy.maxScore, Math.max(0, sum)) * 10) / 10;
  return {
    score,
    ...(lastEngagementAt !== undefined
      ? { lastEngagementAt, lastEngagementDate: new Date(lastEngagementAt).toISOString().slice(0, 10) }
      : {}),
    asOf,
    counted,
    unweightedTypes: [...unweighted].sort((a, b) => a - b),
  };
}

/** The activities kept for one customer between events: distinct ids, none older than the horizon. */
export type EngagementHistory = ReadonlyMap<string, VisitorActivity>;

/** Adds activities to a customer's history and drops those past the horizon (bounded state for a store). */
export function recordActivities(
  history: EngagementHistory,
  activities: Iterable<VisitorActivity>,
  asOf: number,
  policy: EngagementPolicy,
): EngagementHistory {
  const next = new Map(history);
  for (const activity of activities) next.set(activity.id, activity);
  for (const [id, activity] of next)
    if (asOf - activity.createdAt > policy.horizonDays * DAY) next.delete(id);
  return next;
}
