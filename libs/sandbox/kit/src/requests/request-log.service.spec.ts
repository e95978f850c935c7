import { describe, expect, it } from 'vitest';
import { RequestLog } from './request-log.service.js';

describe('RequestLog', () => {
  it('keeps the most recent requests, oldest first', () => {
    const log = new RequestLog(3);
    for (let i = 1; i <= 5; i++)
      log.add({ at: '2026-01-01T00:00:00.000Z', method: 'GET', path: `/r/${i}`, status: 200, ms: 1 });
    expect(log.list().map((e) => e.path)).toEqual(['/r/3', '/r/4', '/r/5']);
    expect(log.list(2).map((e) => e.path)).toEqual(['/r/4', '/r/5']);
    log.clear();
    expect(log.list()).toEqual([]);
  });
});
