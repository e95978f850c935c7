import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { SalesforceApiError } from '../errors/salesforce-api.error.js';
import { bodyErrorOf } from '../http/request-body.util.js';
import { ConnectedApp } from '../oauth/connected-app.service.js';
import { SalesforceOrg } from '../org/salesforce-org.service.js';
import { attachRestCall, bearerToken, callOptionsClient, parseApiVersion } from './rest-call.util.js';

interface GateRequest {
  readonly params: Record<string, string | undefined>;
  readonly headers: Record<string, string | string[] | undefined>;
}

interface GateResponse {
  setHeader(name: string, value: string): void;
}

/**
 * In front of every `/services/data/vXX.X/…` route, in Salesforce's order: the version must exist
 * (404 NOT_FOUND), the session must be valid (401 INVALID_SESSION_ID), the daily allocation must
 * have room (403 REQUEST_LIMIT_EXCEEDED), the body must be readable (400 JSON_PARSER_ERROR); every
 * answer carries `Sforce-Limit-Info`.
 */
@Injectable()
export class RestApiInterceptor implements NestInterceptor {
  constructor(
    private readonly org: SalesforceOrg,
    private readonly app: ConnectedApp,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<GateRequest>();
    const response = http.getResponse<GateResponse>();
    const apiVersion = parseApiVersion(request.params['version']);
    if (!apiVersion) throw SalesforceApiError.notFound();
    const token = bearerToken(request.headers['authorization']);
    const verification = token ? this.app.verify(token) : undefined;
    if (!verification?.valid) throw SalesforceApiError.invalidSession();
    const admitted = this.org.usage.tryConsume();
    response.setHeader('Sforce-Limit-Info', this.org.usage.header());
    if (!admitted) throw SalesforceApiError.requestLimitExceeded();
    const bodyError = bodyErrorOf(request);
    if (bodyError) throw SalesforceApiError.jsonParser(bodyError);
    const callClientId = callOptionsClient(request.headers['sforce-call-options']);
    const userId = verification.claims.userId;
    attachRestCall(request, {
      apiVersion,
      userId,
      callClientId,
      context: this.org.apiContext(userId, apiVersion, callClientId),
    });
    return next.handle();
  }
}
