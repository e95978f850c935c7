import { describe, expect, it } from 'vitest';
import { WriteLedger } from './write-ledger.service.js';

const write = (method: string, path: string, route = `${method} ${path}`) => ({
  method,
  path,
  route,
  status: 200,
  requestBody: {},
});

describe('WriteLedger', () => {
  it('numbers entries and lists those after a seq, by method and by route glob', () => {
    const ledger = new WriteLedger('pardot');
    ledger.record(write('POST', '/api/v5/objects/prospects'));
    ledger.record(write('PATCH', '/api/v5/objects/prospects/7', 'PATCH /api/v5/objects/prospects/:id'));
    ledger.record(write('POST', '/api/prospect/version/4/do/update/id/7'));
    expect(ledger.list().map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(ledger.list({ since: 1 }).map((e) => e.seq)).toEqual([2, 3]);
    expect(ledger.list({ method: 'patch' }).map((e) => e.seq)).toEqual([2]);
    expect(ledger.list({ route: 'POST /api/v5/*' }).map((e) => e.seq)).toEqual([1]);
    expect(ledger.list({ route: 'PATCH /api/v5/objects/prospects/:id' }).map((e) => e.seq)).toEqual([2]);
    expect(ledger.list({ limit: 2 }).map((e) => e.seq)).toEqual([1, 2]);
    expect(ledger.list()[0]).toMatchObject({
      system: 'pardot',
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  it('keeps seq numbers increasing after clear, and drops the oldest beyond capacity', () => {
    const ledger = new WriteLedger('x3', 2);
    for (let i = 0; i < 3; i++) ledger.record(write('POST', `/p/${i}`));
    expect(ledger.list().map((e) => e.path)).toEqual(['/p/1', '/p/2']);
    expect(ledger.dropped).toBe(1);
    expect(ledger.clear()).toBe(2);
    expect(ledger.record(write('POST', '/p/3')).seq).toBe(4);
  });
});
