import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendSandboxResponse } from '@pardot-x3/sandbox-kit';
import { apiFlavourOf } from '../http/pardot-api-version.util.js';
import { PardotApiError } from './pardot-api.error.js';
import { renderPardotError } from './pardot-error-dialect.js';
import { PARDOT_ERROR_MESSAGES, type PardotErrorCode } from './pardot-error-codes.constants.js';

interface ExpressRequest extends IncomingMessage {
  path?: string;
  query?: Record<string, unknown>;
  body?: unknown;
}

/**
 * Every error of the Pardot routes in Pardot's own dialect: PardotApiError as it is; a malformed JSON
 * body as code 150 (v5) or 71 (v4); an unknown route as 404 code 109 (v5) or 400 code 2 "Invalid
 * action" (v4); anything unexpected as 500 code 183, logged.
 */
@Catch()
export class PardotExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PardotSandbox');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<ExpressRequest>();
    const res = http.getResponse<ServerResponse>();
    const request = { path: req.path ?? (req.url ?? '/').split('?')[0] ?? '/', query: req.query ?? {} };
    const legacy = apiFlavourOf(request.path) === 'legacy';
    const send = (
      status: number,
      code: PardotErrorCode,
      message: string = PARDOT_ERROR_MESSAGES[code],
      headers: Record<string, string> = {},
    ): void => sendSandboxResponse(res, renderPardotError(request, status, code, message, headers, req.body));

    if (!request.path.startsWith('/api/')) {
      // Health, metrics and other non-Pardot routes keep Nest's plain answers.
      const status = exception instanceof HttpException ? exception.getStatus() : 500;
      if (status >= 500 && !(exception instanceof HttpException))
        this.logger.error(
          exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
        );
      const body =
        exception instanceof HttpException
          ? exception.getResponse()
          : { statusCode: 500, message: 'Internal server error' };
      sendSandboxResponse(res, {
        status,
        body: typeof body === 'string' ? { statusCode: status, message: body } : body,
      });
      return;
    }
    if (exception instanceof PardotApiError) {
      send(exception.httpStatus, exception.code, exception.message, { ...exception.headers });
      return;
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      if (status === 400 && exception.cause instanceof SyntaxError) {
        send(400, legacy ? 71 : 150);
        return;
      }
      if (status === 404) {
        if (legacy) send(400, 2);
        else send(404, 109, `${PARDOT_ERROR_MESSAGES[109]} No such resource: ${request.path}`);
        return;
      }
      if (status === 413) {
        send(400, 166, `${PARDOT_ERROR_MESSAGES[166]} The request body is too large.`);
        return;
      }
      if (status < 500) {
        send(status, 5, exception.message);
        return;
      }
    }
    this.logger.error(
      exception instanceof Error ? (exception.stack ?? exception.message) : String(exception),
    );
    send(500, 183);
  }
}
