import { describe, expect, it } from 'vitest';
import { budgetDay, nextBudgetReset } from './budget-day.util.js';
import { pardotConfigSchema } from './pardot.config.js';

describe('budget days', () => {
  it('keys the budget by the account’s calendar day', () => {
    const at = new Date('2026-11-26T23:30:00Z');
    expect(budgetDay(at, 'UTC')).toBe('2026-11-26');
    expect(budgetDay(at, 'Europe/Paris')).toBe('2026-11-27');
    expect(budgetDay(at, 'America/Los_Angeles')).toBe('2026-11-26');
  });

  it('resets at the next local midnight, across daylight-saving changes', () => {
    expect(nextBudgetReset(new Date('2026-11-26T10:00:00Z'), 'UTC').toISOString()).toBe(
      '2026-11-27T00:00:00.000Z',
    );
    expect(nextBudgetReset(new Date('2026-11-26T10:00:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-11-26T23:00:00.000Z',
    );
    // Paris switches to summer time on 2026-03-29 at 02:00 local.
    expect(nextBudgetReset(new Date('2026-03-29T12:00:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-03-29T22:00:00.000Z',
    );
    expect(nextBudgetReset(new Date('2026-03-28T12:00:00Z'), 'Europe/Paris').toISOString()).toBe(
      '2026-03-28T23:00:00.000Z',
    );
  });
});

describe('pardotConfigSchema', () => {
  it('refuses more than 5 concurrent requests and an unknown time zone', () => {
    const result = pardotConfigSchema.safeParse({
      PARDOT_BUSINESS_UNIT_ID: '0Uv000000000001AAA',
      PARDOT_MAX_CONCURRENCY: '6',
      PARDOT_BUDGET_TIME_ZONE: 'Mars/Olympus',
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual([
      'PARDOT_MAX_CONCURRENCY',
      'PARDOT_BUDGET_TIME_ZONE',
    ]);
  });

  it('applies defaults and splits the activity types', () => {
    const config = pardotConfigSchema.parse({
      PARDOT_BUSINESS_UNIT_ID: '0Uv000000000001AAA',
      PARDOT_EXTERNAL_ACTIVITY_TYPES: 'X3_Order_Shipped, X3_Invoice_Posted',
    });
    expect(config).toMatchObject({
      PARDOT_BASE_URL: 'https://pi.pardot.com',
      PARDOT_MAX_CONCURRENCY: 5,
      PARDOT_DAILY_BUDGET: 25_000,
    });
    expect(config.PARDOT_EXTERNAL_ACTIVITY_TYPES).toEqual(['X3_Order_Shipped', 'X3_Invoice_Posted']);
  });
});

describe('pardotDateTime', () => {
  it('writes UTC with a numeric offset and whole seconds', async () => {
    const { pardotDateTime } = await import('./pardot-client.js');
    expect(pardotDateTime(new Date('2026-11-26T10:00:00.123Z'))).toBe('2026-11-26T10:00:00+00:00');
  });
});
