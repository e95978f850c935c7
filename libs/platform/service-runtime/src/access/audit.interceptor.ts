import {
  HttpException,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { catchError, tap, throwError, type Observable } from 'rxjs';
import { PRINCIPAL, REQUIRED_ROLE } from './access.decorators.js';
import { actionOf, type AccessRequest } from './access.guard.js';
import { AuditTrail } from './audit-trail.service.js';

/** Audits every operator action that passed the guard: who, which route, when, and how it ended. */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(private readonly audit: AuditTrail) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<AccessRequest>();
    const res = context.switchToHttp().getResponse<ServerResponse>();
    const principal = req[PRINCIPAL];
    if (!principal || req[REQUIRED_ROLE] !== 'operator') return next.handle();
    const record = (statusCode: number, detail: string | null): void =>
      this.audit.record({
        actorId: principal.id,
        actorName: principal.name,
        actorRole: principal.role ?? null,
        action: actionOf(req),
        path: (req.url ?? '').split('?')[0] ?? '',
        outcome: statusCode < 400 ? 'succeeded' : 'failed',
        statusCode,
        detail,
      });
    return next.handle().pipe(
      tap(() => record(res.statusCode, null)),
      catchError((error: unknown) => {
        const status = error instanceof HttpException ? error.getStatus() : 500;
        record(status, error instanceof Error ? error.message : String(error));
        return throwError(() => error);
      }),
    );
  }
}
