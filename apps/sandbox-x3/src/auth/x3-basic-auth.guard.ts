import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { X3HttpError } from '../errors/x3-http.error.js';
import { SANDBOX_X3_CONFIG, type SandboxX3Config } from '../sandbox-x3.config.js';

export interface X3Request extends IncomingMessage {
  query: Record<string, unknown>;
  body?: unknown;
  x3User?: string;
}

/** The Basic-auth user of a request, if the header is well formed (for the ledger). */
export function basicAuthUser(
  authorization: string | undefined,
): { user: string; password: string } | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(authorization ?? '');
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon > 0 ? { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) } : undefined;
}

/** HTTP Basic authentication against X3_USERS (on-premise X3's REST option); 401 otherwise. */
@Injectable()
export class X3BasicAuthGuard implements CanActivate {
  constructor(@Inject(SANDBOX_X3_CONFIG) private readonly config: SandboxX3Config) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<X3Request>();
    const credentials = basicAuthUser(req.headers.authorization);
    const expected = credentials ? this.config.X3_USERS.get(credentials.user) : undefined;
    if (!credentials || expected === undefined || !sameSecret(credentials.password, expected)) {
      throw new X3HttpError(401, 'Authentication failed: send valid Basic credentials of an X3 user', {
        'WWW-Authenticate': 'Basic realm="Sage X3"',
      });
    }
    req.x3User = credentials.user;
    return true;
  }
}

function sameSecret(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());
}
