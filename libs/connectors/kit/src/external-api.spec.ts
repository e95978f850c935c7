import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ExternalApiError } from './external-api.error.js';
import { externalApiMetrics, observeExternalCall } from './external-api.metrics.js';

describe('externalApiMetrics', () => {
  it('registers the metrics once per registry, so several connectors in one process share them', async () => {
    const registry = new Registry();
    const a = externalApiMetrics(registry);
    const b = externalApiMetrics(registry);
    expect(a).toBe(b);
    observeExternalCall(a, 'pardot', 'upsertProspect', process.hrtime.bigint(), 201);
    observeExternalCall(b, 'x3', 'query', process.hrtime.bigint(), 'network_error');
    const text = await registry.metrics();
    expect(text).toContain(
      'px3_external_api_requests_total{system="pardot",operation="upsertProspect",status="201"} 1',
    );
    expect(text).toContain(
      'px3_external_api_requests_total{system="x3",operation="query",status="network_error"} 1',
    );
    expect(text).toContain(
      'px3_external_api_request_seconds_count{system="pardot",operation="upsertProspect"} 1',
    );
  });
});

describe('ExternalApiError', () => {
  it('is retryable only when transient', () => {
    expect(new ExternalApiError('x', { system: 'x3', operation: 'o', kind: 'transient' }).retryable).toBe(
      true,
    );
    expect(new ExternalApiError('x', { system: 'x3', operation: 'o', kind: 'throttled' }).retryable).toBe(
      false,
    );
    expect(
      new ExternalApiError('x', { system: 'x3', operation: 'o', kind: 'permanent-data' }).permanent,
    ).toBe(true);
  });
});
