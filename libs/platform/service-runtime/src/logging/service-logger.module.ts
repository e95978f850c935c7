import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { DynamicModule, LoggerService } from '@nestjs/common';
import { Logger as NestPinoLogger, LoggerModule, PinoLogger, type Params } from 'nestjs-pino';
import { redactSecretsInText, type Logger } from '@pardot-x3/observability';

/** Probes and scrapes arrive every few seconds; logging each would drown the useful lines. */
const QUIET_PATHS = new Set(['/health/live', '/health/ready', '/metrics']);

/**
 * Machine-to-machine webhooks (`/webhooks/…`) arrive by the thousand a second: a request answered with
 * success is logged at debug only (counted in px3_http_requests_total all the same); refusals and
 * failures keep their warn and error lines.
 */
const WEBHOOK_PATH_PREFIX = '/webhooks/';

function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0] ?? '';
}

function requestId(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

/**
 * nestjs-pino on the process's root logger (redaction included): every request gets one
 * "request completed" line with its id, method, URL (credentials in the query string redacted),
 * status and response time, but no headers or bodies (a webhook answered with success: at debug).
 *
 * nestjs-pino keeps one root logger per process: the first service app created in a process owns
 * Nest's log output (one service per process in production; only in-process tests create several).
 */
export function serviceLoggerParams(logger: Logger): Params {
  return {
    pinoHttp: {
      logger,
      genReqId: (req) => requestId(req),
      autoLogging: { ignore: (req) => QUIET_PATHS.has(pathOf(req.url)) },
      customLogLevel: (req, res, error) =>
        error !== undefined || res.statusCode >= 500
          ? 'error'
          : res.statusCode >= 400
            ? 'warn'
            : pathOf(req.url).startsWith(WEBHOOK_PATH_PREFIX)
              ? 'debug'
              : 'info',
      serializers: {
        req: (req: { id?: unknown; method?: string; url?: string }) => ({
          id: req.id,
          method: req.method,
          url: redactSecretsInText(req.url ?? ''),
        }),
        res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}

/** The request-logging module, registered by the runtime module. */
export function serviceLoggerModule(params: Params): DynamicModule {
  return LoggerModule.forRoot(params);
}

/**
 * Nest's logger, usable before the application exists: passed to `NestFactory.create`, so even a
 * failed start (a provider that cannot be resolved) is reported as JSON, never by Nest's console logger.
 */
export function createNestLogger(params: Params): LoggerService {
  return new NestPinoLogger(new PinoLogger(params), params);
}
