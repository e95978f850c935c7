import { Catch, HttpException, HttpStatus, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { FaultRuleError } from '../faults/fault-rule.error.js';
import { sendSandboxResponse } from '../http/send-sandbox-response.util.js';

/** Admin API errors as `{"statusCode":N,"error":"…"}`, whatever dialect the system's own routes speak. */
@Catch()
export class AdminExceptionFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<ServerResponse>();
    let status: number = HttpStatus.INTERNAL_SERVER_ERROR;
    let message = 'the sandbox failed to handle this admin request';
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      message = typeof body === 'string' ? body : (messageOf(body) ?? exception.message);
    } else if (
      exception instanceof FaultRuleError ||
      exception instanceof RangeError ||
      exception instanceof AdminRequestError
    ) {
      status = HttpStatus.BAD_REQUEST;
      message = exception.message;
    }
    sendSandboxResponse(res, { status, body: { statusCode: status, error: message } });
  }
}

/** A bad admin request (400), with a message that says what to send instead. */
export class AdminRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AdminRequestError';
  }
}

function messageOf(body: object): string | undefined {
  const message = (body as { message?: unknown }).message;
  if (typeof message === 'string') return message;
  if (Array.isArray(message)) return message.join('; ');
  return undefined;
}
