import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ExternalApiError } from './external-api.error.js';
import { externalApiMetrics } from './external-api.metrics.js';
import { HttpExchange } from './http-exchange.js';

const fast = { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 2 };

function exchange(registry = new Registry()) {
  return {
    registry,
    exchange: new HttpExchange({ system: 'pardot', metrics: externalApiMetrics(registry), retry: fast }),
  };
}

const refusedToken = () =>
  new ExternalApiError('token refused', {
    system: 'pardot',
    operation: 'test',
    kind: 'permanent-config',
    status: 401,
  });

/** Tokens handed out as `t1`, `t2`, …; the invalidated ones remembered. */
function tokens() {
  let issued = 0;
  const invalidated: string[] = [];
  return {
    invalidated,
    source: {
      session: async () => ({ accessToken: `t${issued + 1}` }),
      invalidate: (token: string) => {
        invalidated.push(token);
        issued += 1;
      },
    },
  };
}

describe('HttpExchange', () => {
  it('renews a refused token once and sends again with the new one; a second refusal is thrown', async () => {
    const { exchange: http } = exchange();
    const auth = tokens();
    const seen: (string | undefined)[] = [];
    const result = await http.send(
      'test',
      async (session) => {
        seen.push(session?.accessToken);
        if (session?.accessToken === 't1') throw refusedToken();
        return 'ok';
      },
      { auth: { tokens: auth.source, refused: (e) => (e as ExternalApiError).status === 401 } },
    );
    expect(result).toBe('ok');
    expect(seen).toEqual(['t1', 't2']);
    expect(auth.invalidated).toEqual(['t1']);

    const again = tokens();
    const refused = await http
      .send('test', async () => Promise.reject(refusedToken()), {
        auth: { tokens: again.source, refused: () => true },
      })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ExternalApiError);
    expect(again.invalidated).toEqual(['t1']);
  });

  it('retries a transient failure, but never an attempt of a non-idempotent call that may have been applied', async () => {
    const { exchange: http } = exchange();
    const timeout = () =>
      new ExternalApiError('no answer', { system: 'pardot', operation: 'test', kind: 'transient' });
    let calls = 0;
    await expect(
      http.send('test', async () => {
        calls += 1;
        if (calls < 3) throw timeout();
        return calls;
      }),
    ).resolves.toBe(3);
    calls = 0;
    await expect(
      http.send(
        'test',
        async () => {
          calls += 1;
          throw timeout();
        },
        { notIdempotent: true },
      ),
    ).rejects.toThrow('no answer');
    expect(calls).toBe(1);
  });

  it('waits out what the connector can wait for, then sends again', async () => {
    const { exchange: http } = exchange();
    const spent = new ExternalApiError('budget spent', {
      system: 'pardot',
      operation: 'test',
      kind: 'throttled',
      retryAfterMs: 3_600_000,
    });
    let calls = 0;
    let waits = 0;
    const result = await http.send(
      'test',
      async () => {
        calls += 1;
        if (calls === 1) throw spent;
        return 'sent';
      },
      { waitOut: async (e) => e === spent && (waits += 1) > 0 },
    );
    expect(result).toBe('sent');
    expect(waits).toBe(1);
  });

  it('turns a request that got no answer into a transient error and counts it as network_error', async () => {
    const { exchange: http, registry } = exchange();
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const error = await http
      .request('readProspect', 'the read of prospect 1', () => Promise.reject(refused))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExternalApiError);
    expect(error).toMatchObject({ system: 'pardot', operation: 'readProspect', kind: 'transient' });
    expect((error as Error).message).toBe(
      'Pardot could not be reached for the read of prospect 1: ECONNREFUSED',
    );
    await http.request('readProspect', 'the read of prospect 1', async () => ({ status: 200 }));
    const text = await registry.metrics();
    expect(text).toContain(
      'px3_external_api_requests_total{system="pardot",operation="readProspect",status="network_error"} 1',
    );
    expect(text).toContain(
      'px3_external_api_requests_total{system="pardot",operation="readProspect",status="200"} 1',
    );
  });
});
