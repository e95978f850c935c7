// Engagement: many Pardot visitor activities → one "Last Engagement Score" and a last-engagement date.
export type { VisitorActivity } from './activity/visitor-activity.types.js';
export {
  VISITOR_ACTIVITY_TYPES,
  visitorActivityTypeCode,
} from './activity/visitor-activity-types.constants.js';
export { parseEngagementPolicy, type EngagementPolicy } from './score/engagement-policy.js';
export {
  computeEngagementScore,
  recordActivities,
  type EngagementScore,
  type EngagementHistory,
} from './score/engagement-score.js';
export {
  visitorActivityOf,
  engagementScoreEvent,
  ENGAGEMENT_FORMULA_VERSION,
} from './score/engagement-score.converter.js';
