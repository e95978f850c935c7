import type { ServerResponse } from 'node:http';
import { httpServerMetrics } from '@pardot-x3/observability';
import { MATCHED_ROUTE, type RoutedRequest } from './matched-route.guard.js';

/** Label of requests no controller handled (404s): one series, whatever URL was asked for. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Express middleware counting every inbound request in `px3_http_requests_total{route,method,status}`
 * and timing it in `px3_http_request_seconds{route,method}`. The route label is the pattern the
 * request reached (recorded by `MatchedRouteGuard`), read when the response finishes; the raw URL
 * never becomes a label.
 */
export function httpMetricsMiddleware(): (req: RoutedRequest, res: ServerResponse, next: () => void) => void {
  const metrics = httpServerMetrics();
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.once('finish', () => {
      const route = req[MATCHED_ROUTE] ?? UNMATCHED_ROUTE;
      const method = req.method ?? 'UNKNOWN';
      metrics.requests.inc({ route, method, status: String(res.statusCode) });
      metrics.duration.observe({ route, method }, Number(process.hrtime.bigint() - startedAt) / 1e9);
    });
    next();
  };
}
