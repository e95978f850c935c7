import { describe, expect, it } from 'vitest';
import { ApiUsage } from './api-usage.service.js';

describe('ApiUsage', () => {
  it('counts requests over a rolling 24 hours and refuses past the limit', () => {
    let now = Date.parse('2026-11-26T00:00:00Z');
    const usage = new ApiUsage(2, () => now);
    expect(usage.tryConsume()).toBe(true);
    now += 12 * 3_600_000;
    expect(usage.tryConsume()).toBe(true);
    expect(usage.tryConsume()).toBe(false);
    expect(usage.header()).toBe('api-usage=2/2');
    now += 12 * 3_600_000 + 60_000;
    expect(usage.used()).toBe(1);
    expect(usage.tryConsume()).toBe(true);
  });
});
