import type { CallHandler, ExecutionContext, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { assertUtf8Body } from './parse-request.js';

/**
 * Every service route refuses a request body whose bytes are not UTF-8 with a 400 (`the request body
 * is not valid UTF-8`): the JSON parser would have replaced them with U+FFFD, and a handler would act
 * on a value the caller never sent. Installed globally by `createServiceApp` (after access checks).
 */
export class Utf8BodyInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() === 'http')
      assertUtf8Body(context.switchToHttp().getRequest<{ rawBody?: Buffer }>().rawBody);
    return next.handle();
  }
}
