import { readFileSync } from 'node:fs';
import { createAvroType, TOPICS, type EngagementActivity } from '@pardot-x3/canonical';
import { describe, expect, it } from 'vitest';
import { parseEngagementPolicy } from './engagement-policy.js';
import { computeEngagementScore } from './engagement-score.js';
import { engagementScoreEvent, visitorActivityOf } from './engagement-score.converter.js';

const policy = parseEngagementPolicy(
  readFileSync(new URL('../../../../../config/engagement.yaml', import.meta.url), 'utf8'),
  'config/engagement.yaml',
);
const DAY = 86_400_000;
const asOf = Date.parse('2026-11-26T00:00:00Z');

describe('the canonical engagement score', () => {
  it('weighs canonical activities by their Pardot type and carries score, count, last engagement and formula', () => {
    const base = { prospectId: '100001', sourceTypeName: null, campaignId: null, details: null };
    const canonical: EngagementActivity[] = [
      { ...base, activityId: '1', kind: 'FORM_SUBMISSION', sourceType: 4, occurredAt: new Date(asOf) },
      { ...base, activityId: '2', kind: 'EMAIL_OPEN', sourceType: 11, occurredAt: new Date(asOf - 30 * DAY) },
      { ...base, activityId: '3', kind: 'OTHER', sourceType: 6, occurredAt: new Date(asOf - DAY) },
    ];
    const activities = canonical.map(visitorActivityOf);
    const score = computeEngagementScore(activities, asOf, policy);
    const event = engagementScoreEvent(score, { x3CustomerCode: 'C00001' }, policy);
    // Form success 10 today + open 1 at one half-life (0.5) + email sent 0 = 10.5 → 11.
    expect(event).toEqual({
      x3CustomerCode: 'C00001',
      goldenId: null,
      score: 11,
      activityCount: 3,
      lastActivityAt: new Date(asOf),
      computedAt: new Date(asOf),
      formulaVersion: 'formula 1, policy 1',
    });
    expect(createAvroType(TOPICS.engagementScoreChangedV1.value.json).isValid(event)).toBe(true);
  });
});
