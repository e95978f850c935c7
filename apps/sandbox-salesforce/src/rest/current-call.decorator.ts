import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { restCallOf, type RestCall } from './rest-call.util.js';

/** The RestCall the REST gate attached to this request. */
export const CurrentCall = createParamDecorator((_data: unknown, context: ExecutionContext): RestCall =>
  restCallOf(context.switchToHttp().getRequest<object>()),
);
