import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { VisitorActivity } from '../activity/visitor-activity.types.js';
import { parseEngagementPolicy } from './engagement-policy.js';
import { computeEngagementScore, recordActivities } from './engagement-score.js';

const policy = parseEngagementPolicy(
  readFileSync(new URL('../../../../../config/engagement.yaml', import.meta.url), 'utf8'),
  'config/engagement.yaml',
);
const DAY = 86_400_000;
const asOf = Date.UTC(2026, 10, 20, 12);
let next = 0;
const activity = (type: number, daysAgo: number, id = `va-${++next}`): VisitorActivity => ({
  id,
  prospectId: '48213377',
  type,
  createdAt: asOf - daysAgo * DAY,
});

describe('Last Engagement Score', () => {
  it('counts a form success today at its full weight', () => {
    expect(computeEngagementScore([activity(4, 0)], asOf, policy).score).toBe(10);
  });

  it('halves an activity after one half-life and quarters it after two', () => {
    expect(computeEngagementScore([activity(4, 30)], asOf, policy).score).toBe(5);
    expect(computeEngagementScore([activity(4, 60)], asOf, policy).score).toBe(2.5);
  });

  it('adds up activities: a webinar attended last week and three email opens yesterday', () => {
    const score = computeEngagementScore(
      [activity(24, 7), activity(11, 1), activity(11, 1), activity(11, 1)],
      asOf,
      policy,
    );
    expect(score.score).toBe(Math.round((15 * 0.5 ** (7 / 30) + 3 * 0.5 ** (1 / 30)) * 10) / 10);
    expect(score.counted).toBe(4);
  });

  it('lets unsubscribes and spam complaints pull the score down, but never below zero', () => {
    expect(computeEngagementScore([activity(4, 0), activity(12, 0)], asOf, policy).score).toBe(0);
    expect(
      computeEngagementScore([activity(24, 0), activity(24, 0), activity(13, 0)], asOf, policy).score,
    ).toBe(25);
  });

  it('caps the score', () => {
    expect(
      computeEngagementScore(
        Array.from({ length: 20 }, () => activity(24, 0)),
        asOf,
        policy,
      ).score,
    ).toBe(100);
  });

  it('ignores activities older than the horizon', () => {
    expect(computeEngagementScore([activity(4, 400)], asOf, policy)).toMatchObject({ score: 0, counted: 0 });
  });

  it('counts the same activity once, however often it is read', () => {
    const click = activity(1, 2, 'va-click');
    expect(computeEngagementScore([click, click, { ...click }], asOf, policy).counted).toBe(1);
  });

  it('dates the last engagement by the latest activity that is a real engagement, not an email we sent', () => {
    const score = computeEngagementScore([activity(24, 10), activity(6, 1), activity(13, 0)], asOf, policy);
    expect(score.lastEngagementDate).toBe('2026-11-10');
  });

  it('reports activity types that have no weight instead of silently dropping them', () => {
    const only = parseEngagementPolicy(
      'version: 1\nhalfLifeDays: 30\nhorizonDays: 365\nmaxScore: 100\nweights: { Click: 3 }\n',
      'e.yaml',
    );
    expect(
      computeEngagementScore([activity(1, 0), activity(27, 0), activity(99, 0)], asOf, only),
    ).toMatchObject({ score: 3, unweightedTypes: [27, 99] });
  });

  it('gives the same score from a history kept incrementally as from all activities at once', () => {
    const all = [activity(24, 200), activity(4, 90), activity(1, 20), activity(11, 3), activity(12, 1)];
    let history = new Map<string, VisitorActivity>() as ReadonlyMap<string, VisitorActivity>;
    for (const one of all) history = recordActivities(history, [one], asOf, policy);
    expect(computeEngagementScore(history.values(), asOf, policy)).toEqual(
      computeEngagementScore(all, asOf, policy),
    );
  });

  it('keeps the stored history bounded by the horizon', () => {
    const history = recordActivities(new Map(), [activity(1, 500), activity(1, 5)], asOf, policy);
    expect(history.size).toBe(1);
  });
});

describe('parseEngagementPolicy', () => {
  it('reads weights by activity type name or code', () => {
    expect(policy.weights.get(4)).toBe(10);
    expect(policy.weights.get(34)).toBe(5);
    expect(policy.weights.get(14)).toBe(-30);
  });

  it('points at a type that does not exist and at one given twice', () => {
    expect(() =>
      parseEngagementPolicy(
        'version: 1\nhalfLifeDays: 30\nhorizonDays: 365\nmaxScore: 100\nweights:\n  Clik: 3\n  Open: 1\n  OPEN: 2\n',
        'e.yaml',
      ),
    ).toThrow(
      'e.yaml is not valid (2 problems):\n  e.yaml:6:3: weights.Clik: "Clik" is not a Pardot visitor activity type; use a code 1–34 or a name such as Click, View, Error, Success\n  e.yaml:8:3: weights.OPEN: type 11 already has a weight (as "Open")',
    );
  });
});
