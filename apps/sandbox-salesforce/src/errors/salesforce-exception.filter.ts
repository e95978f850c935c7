import { randomBytes } from 'node:crypto';
import { Catch, HttpException, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Logger } from '@pardot-x3/observability';
import { OAuthError } from '../oauth/oauth.error.js';
import { SalesforceApiError } from './salesforce-api.error.js';

interface FilterResponse {
  headersSent: boolean;
  status(code: number): FilterResponse;
  json(body: unknown): void;
}

/**
 * Renders every error in Salesforce's dialect: REST errors as `[{"message","errorCode","fields"}]`,
 * token endpoint errors as `{"error","error_description"}`, unknown routes as NOT_FOUND and anything
 * unexpected as 500 UNKNOWN_EXCEPTION with an error id (the details go to the log, not the client).
 */
@Catch()
export class SalesforceExceptionFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<FilterResponse>();
    if (response.headersSent) return;
    if (exception instanceof SalesforceApiError) {
      response.status(exception.status).json(exception.toBody());
      return;
    }
    if (exception instanceof OAuthError) {
      response.status(exception.status).json(exception.toBody());
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const error =
        status === 404
          ? SalesforceApiError.notFound()
          : new SalesforceApiError(status, 'INVALID_REQUEST', exception.message);
      response.status(error.status).json(error.toBody());
      return;
    }
    const errorId = `${Date.now()}-${randomBytes(4).readUInt32BE(0)}`;
    this.logger.error({ err: exception, errorId }, 'unexpected error');
    response.status(500).json([
      {
        errorCode: 'UNKNOWN_EXCEPTION',
        message: `An unexpected error occurred. Please include this ErrorId if you contact support: ${errorId}`,
      },
    ]);
  }
}
