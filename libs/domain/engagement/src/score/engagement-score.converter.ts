import type { EngagementActivity, EngagementScore as EngagementScoreEvent } from '@pardot-x3/canonical';
import type { VisitorActivity } from '../activity/visitor-activity.types.js';
import type { EngagementPolicy } from './engagement-policy.js';
import type { EngagementScore } from './engagement-score.js';

/** Version of the score formula in code (`computeEngagementScore`); raise it when the formula changes. */
export const ENGAGEMENT_FORMULA_VERSION = 1;

/** A canonical activity as the score formula reads it: its Pardot type code weighs it. */
export function visitorActivityOf(activity: EngagementActivity): VisitorActivity {
  return {
    id: activity.activityId,
    prospectId: activity.prospectId,
    type: activity.sourceType,
    createdAt: activity.occurredAt.getTime(),
  };
}

/**
 * The canonical score event (`engagement.score.changed.v1`) of one X3 customer: the score as a whole
 * number 0–100 (the Avro field is an int; the formula keeps one decimal), the activities counted, the
 * last engagement, and which formula and policy produced it (`formula 1, policy 3`).
 */
export function engagementScoreEvent(
  score: EngagementScore,
  customer: { readonly x3CustomerCode: string; readonly goldenId?: string | null },
  policy: Pick<EngagementPolicy, 'version'>,
): EngagementScoreEvent {
  return {
    x3CustomerCode: customer.x3CustomerCode,
    goldenId: customer.goldenId ?? null,
    score: Math.round(score.score),
    activityCount: score.counted,
    lastActivityAt: score.lastEngagementAt !== undefined ? new Date(score.lastEngagementAt) : null,
    computedAt: new Date(score.asOf),
    formulaVersion: `formula ${ENGAGEMENT_FORMULA_VERSION}, policy ${policy.version}`,
  };
}
