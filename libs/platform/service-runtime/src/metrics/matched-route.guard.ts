import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';

/** Where the route pattern of a request that reached a controller is kept for the HTTP metrics. */
export const MATCHED_ROUTE = Symbol.for('pardot-x3.matched-route');

/** What Express adds to a request once a route matched it, plus our marker. */
export interface RoutedRequest extends IncomingMessage {
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
  [MATCHED_ROUTE]?: string;
}

/**
 * Records which route pattern (e.g. `/webhooks/:source`) a request reached, for the `route` label of
 * the HTTP metrics. A global guard because guards run first for every request that reached a
 * controller, including those a later guard or pipe rejects; it never blocks anything. Express alone
 * cannot tell: middleware mounted for all paths leaves its own wildcard pattern on requests that no
 * controller matched.
 */
@Injectable()
export class MatchedRouteGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<RoutedRequest>();
    const path = req.route?.path;
    if (typeof path === 'string') req[MATCHED_ROUTE] = `${req.baseUrl ?? ''}${path}`;
    return true;
  }
}
