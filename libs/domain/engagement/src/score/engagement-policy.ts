import { parseYamlConfig } from '@pardot-x3/mapping';
import { z } from 'zod';
import {
  VISITOR_ACTIVITY_TYPES,
  visitorActivityTypeCode,
} from '../activity/visitor-activity-types.constants.js';

export interface EngagementPolicy {
  readonly version: number;
  /** An activity counts half as much after this many days (exponential decay). */
  readonly halfLifeDays: number;
  /** Activities older than this are not counted at all. */
  readonly horizonDays: number;
  /** The score is capped here (and never below 0). */
  readonly maxScore: number;
  /** Points per activity type code; types without a weight count 0 and are reported. */
  readonly weights: ReadonlyMap<number, number>;
}

const schema = z.strictObject({
  version: z.number().int().min(1),
  halfLifeDays: z.number().positive(),
  horizonDays: z.number().positive(),
  maxScore: z.number().positive(),
  weights: z.record(z.string(), z.number()),
});

/** Reads config/engagement.yaml; weights are keyed by activity type name or code. */
export function parseEngagementPolicy(text: string, fileName: string): EngagementPolicy {
  const raw = parseYamlConfig(text, fileName, schema, (policy, report) => {
    const seen = new Map<number, string>();
    for (const key of Object.keys(policy.weights)) {
      const code = visitorActivityTypeCode(key);
      if (code === undefined)
        report(
          ['weights', key],
          `"${key}" is not a Pardot visitor activity type; use a code 1–34 or a name such as ${Object.values(VISITOR_ACTIVITY_TYPES).slice(0, 4).join(', ')}`,
          { at: 'key' },
        );
      else if (seen.has(code))
        report(['weights', key], `type ${code} already has a weight (as "${seen.get(code)}")`, { at: 'key' });
      else seen.set(code, key);
    }
  });
  const weights = new Map<number, number>();
  for (const [key, weight] of Object.entries(raw.weights))
    weights.set(visitorActivityTypeCode(key) ?? -1, weight);
  return {
    version: raw.version,
    halfLifeDays: raw.halfLifeDays,
    horizonDays: raw.horizonDays,
    maxScore: raw.maxScore,
    weights,
  };
}
