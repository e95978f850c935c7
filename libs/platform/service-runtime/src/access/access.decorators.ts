import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Principal, Role } from '@pardot-x3/access';

export const PUBLIC_ROUTE = 'pardot-x3:access:public';
export const REQUIRED_ROLE = 'pardot-x3:access:role';
/** Where the guard leaves the authenticated principal on the request. */
export const PRINCIPAL = Symbol.for('pardot-x3.principal');

/**
 * A route anyone may call: health and metrics, and webhooks that authenticate each request by their
 * own signature (say which in `reason`; it is documentation, read by people and docs/security.md).
 */
export const Public = (reason: string): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, reason);

/**
 * The least role a route needs. Without it: `viewer` for GET and HEAD, `operator` for every other
 * method (an action). Operator routes are audited.
 */
export const RequireRole = (role: Role): MethodDecorator & ClassDecorator => SetMetadata(REQUIRED_ROLE, role);

/** The caller of a protected route (see `Principal`). */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    context.switchToHttp().getRequest<{ [PRINCIPAL]?: Principal }>()[PRINCIPAL],
);
