import { describe, expect, it } from 'vitest';
import { httpServerMetrics, initMetrics, metricsRegistry } from './metrics.js';

describe('initMetrics', () => {
  it('exports px3_build_info, process metrics with the px3_ prefix, and a service label on everything', async () => {
    initMetrics('mdm', { version: '1.2.3' });
    const text = await metricsRegistry.metrics();
    expect(text).toMatch(/^px3_build_info\{version="1\.2\.3",service="mdm"\} 1$/m);
    expect(text).toMatch(/^px3_process_cpu_seconds_total\{service="mdm"\} /m);
  });

  it('counts only its first call, so a second service name cannot relabel the process', async () => {
    initMetrics('other', { version: '9.9.9' });
    const text = await metricsRegistry.metrics();
    expect(text).not.toContain('other');
    expect(text).not.toContain('9.9.9');
  });
});

describe('httpServerMetrics', () => {
  it('creates the HTTP metrics once and exposes them under their documented names', async () => {
    const metrics = httpServerMetrics();
    expect(httpServerMetrics()).toBe(metrics);
    metrics.requests.inc({ route: '/webhooks/:source', method: 'POST', status: '202' });
    metrics.duration.observe({ route: '/webhooks/:source', method: 'POST' }, 0.02);
    const text = await metricsRegistry.metrics();
    expect(text).toContain('# TYPE px3_http_requests_total counter');
    expect(text).toContain(
      'px3_http_requests_total{route="/webhooks/:source",method="POST",status="202",service="mdm"} 1',
    );
    expect(text).toContain('# TYPE px3_http_request_seconds histogram');
  });
});
