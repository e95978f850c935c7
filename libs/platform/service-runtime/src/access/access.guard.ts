import {
  ForbiddenException,
  Inject,
  Injectable,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  API_KEY_HEADER,
  roleAllows,
  wwwAuthenticate,
  type Authenticator,
  type Principal,
  type Role,
} from '@pardot-x3/access';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { PRINCIPAL, PUBLIC_ROUTE, REQUIRED_ROLE } from './access.decorators.js';
import { AuditTrail } from './audit-trail.service.js';

export const AUTHENTICATOR = Symbol.for('pardot-x3.authenticator');

/** What the guard leaves on a request (see `AuditInterceptor`). */
export interface AccessRequest extends IncomingMessage {
  readonly baseUrl?: string;
  readonly route?: { readonly path?: unknown };
  [PRINCIPAL]?: Principal;
  [REQUIRED_ROLE]?: Role;
}

/** The role a route needs: its @RequireRole, else viewer to read (GET, HEAD) and operator to act. */
export function requiredRole(reflector: Reflector, context: ExecutionContext, method: string): Role {
  return (
    reflector.getAllAndOverride<Role | undefined>(REQUIRED_ROLE, [
      context.getHandler(),
      context.getClass(),
    ]) ?? (method === 'GET' || method === 'HEAD' ? 'viewer' : 'operator')
  );
}

/** `POST /salesforce/backfill`: the method and the route pattern, as the audit log names actions. */
export function actionOf(req: AccessRequest): string {
  const pattern = typeof req.route?.path === 'string' ? `${req.baseUrl ?? ''}${req.route.path}` : req.url;
  return `${req.method ?? 'GET'} ${pattern ?? ''}`;
}

/**
 * Global guard of every service route: @Public routes pass; every other route needs credentials
 * (401 with `WWW-Authenticate` when missing or not valid) carrying its role (403 otherwise).
 * Refused attempts at operator routes are audited.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTHENTICATOR) private readonly authenticator: Authenticator,
    private readonly audit: AuditTrail,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    if (this.reflector.getAllAndOverride<string>(PUBLIC_ROUTE, [context.getHandler(), context.getClass()]))
      return true;
    const http = context.switchToHttp();
    const req = http.getRequest<AccessRequest>();
    const res = http.getResponse<ServerResponse>();
    const role = requiredRole(this.reflector, context, (req.method ?? 'GET').toUpperCase());
    req[REQUIRED_ROLE] = role;
    const apiKey = req.headers[API_KEY_HEADER];
    const result = await this.authenticator.authenticate({
      authorization: req.headers.authorization,
      apiKey: Array.isArray(apiKey) ? apiKey[0] : apiKey,
    });
    if (result.outcome !== 'authenticated') {
      res.setHeader(
        'WWW-Authenticate',
        wwwAuthenticate(result.outcome === 'invalid' ? 'invalid_token' : undefined),
      );
      this.auditRefusal(req, role, undefined, 'unauthenticated', 401, result.message);
      throw new UnauthorizedException(result.message);
    }
    const { principal } = result;
    if (!roleAllows(principal.role, role)) {
      const message = principal.role
        ? `${req.method ?? 'GET'} ${req.url ?? ''} needs the ${role} role; ${principal.name} has ${principal.role}`
        : `${principal.name} has no pardot-x3 role (viewer, pii or operator); ${role} is needed`;
      this.auditRefusal(req, role, principal, 'denied', 403, message);
      throw new ForbiddenException(message);
    }
    req[PRINCIPAL] = principal;
    return true;
  }

  private auditRefusal(
    req: AccessRequest,
    role: Role,
    principal: Principal | undefined,
    outcome: 'unauthenticated' | 'denied',
    statusCode: number,
    detail: string,
  ): void {
    if (role !== 'operator') return;
    this.audit.record({
      actorId: principal?.id ?? 'anonymous',
      actorName: principal?.name ?? null,
      actorRole: principal?.role ?? null,
      action: actionOf(req),
      path: (req.url ?? '').split('?')[0] ?? '',
      outcome,
      statusCode,
      detail,
    });
  }
}
