import type { IncomingMessage, ServerResponse } from 'node:http';
import { httpServerMetrics } from '@pardot-x3/observability';

/** What Express adds to a request once a route matched it. */
interface RoutedRequest extends IncomingMessage {
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
}

/** Label of requests no route matched (404s): one series, whatever URL was asked for. */
export const UNMATCHED_ROUTE = 'unmatched';

/**
 * Express middleware counting every inbound request in `px3_http_requests_total{route,method,status}`
 * and timing it in `px3_http_request_seconds{route,method}`. The route label is the pattern that
 * matched (`/webhooks/:source`), read when the response finishes; the raw URL never becomes a label.
 */
export function httpMetricsMiddleware(): (req: RoutedRequest, res: ServerResponse, next: () => void) => void {
  const metrics = httpServerMetrics();
  return (req, res, next) => {
    const startedAt = process.hrtime.bigint();
    res.once('finish', () => {
      const routePath = req.route?.path;
      const route = typeof routePath === 'string' ? `${req.baseUrl ?? ''}${routePath}` : UNMATCHED_ROUTE;
      const method = req.method ?? 'UNKNOWN';
      metrics.requests.inc({ route, method, status: String(res.statusCode) });
      metrics.duration.observe({ route, method }, Number(process.hrtime.bigint() - startedAt) / 1e9);
    });
    next();
  };
}
