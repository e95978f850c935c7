import {
  Catch,
  HttpException,
  Inject,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendSandboxResponse } from '@pardot-x3/sandbox-kit';
import { SANDBOX_X3_CONFIG, type SandboxX3Config } from '../sandbox-x3.config.js';
import { X3BusinessError, X3HttpError, diagnosis } from './x3-http.error.js';

export const X3_CONTENT_TYPE = 'application/json; vnd.sage=syracuse; charset=utf-8';

/** Answers every error of the /api1 routes as X3 does: `{"$diagnoses":[{"$severity":"error","$message":…}]}`. */
@Catch()
export class X3ExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('X3Sandbox');

  constructor(@Inject(SANDBOX_X3_CONFIG) private readonly config: SandboxX3Config) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const req = host.switchToHttp().getRequest<IncomingMessage>();
    const res = host.switchToHttp().getResponse<ServerResponse>();
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const headers = { 'content-type': X3_CONTENT_TYPE };
    if (exception instanceof X3BusinessError) {
      sendSandboxResponse(res, {
        status: this.config.X3_BUSINESS_ERROR_STATUS,
        headers,
        body: { $diagnoses: exception.diagnoses },
      });
      return;
    }
    if (exception instanceof X3HttpError) {
      sendSandboxResponse(res, {
        status: exception.status,
        headers: { ...headers, ...exception.headers },
        body: { $diagnoses: [diagnosis(exception.message)] },
      });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (!path.startsWith('/api1/')) {
        const body = exception.getResponse();
        sendSandboxResponse(res, {
          status,
          body: typeof body === 'string' ? { statusCode: status, message: body } : body,
        });
        return;
      }
      const message =
        status === 400 && exception.cause instanceof SyntaxError
          ? 'The request body is not valid JSON'
          : status === 404
            ? `Resource not found: ${path}`
            : exception.message;
      sendSandboxResponse(res, { status, headers, body: { $diagnoses: [diagnosis(message)] } });
      return;
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    sendSandboxResponse(res, { status: 500, headers, body: { $diagnoses: [diagnosis('Internal error')] } });
  }
}
