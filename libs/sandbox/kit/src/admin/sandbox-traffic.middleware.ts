import { Inject, Injectable } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@pardot-x3/observability';
import { FaultInjector } from '../faults/fault-injector.service.js';
import type { FaultDecision } from '../faults/fault-rule.types.js';
import { redactSecrets, redactSecretsInBodyText } from '../http/redact-secrets.util.js';
import type { SandboxErrorDialect, SandboxRequestInfo, SandboxResponse } from '../http/sandbox-http.types.js';
import { sendSandboxResponse } from '../http/send-sandbox-response.util.js';
import type { AppliedFault } from '../ledger/ledger.types.js';
import { WriteLedger } from '../ledger/write-ledger.service.js';
import { RequestLog } from '../requests/request-log.service.js';
import { ALWAYS_PASS_THROUGH, SANDBOX_ADMIN_OPTIONS } from './sandbox-admin.constants.js';
import type { SandboxAdminOptions } from './sandbox-admin.options.js';

/** The request as Express hands it to middleware (query parsed; body and route known once the router ran). */
interface FrameworkRequest extends IncomingMessage {
  body?: unknown;
  query?: Record<string, unknown>;
  originalUrl?: string;
  baseUrl?: string;
  route?: { path?: unknown };
}

const RESPONSE_SUMMARY_CHARS = 1_000;
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const GENERIC_DIALECT: SandboxErrorDialect = {
  renderError: (status) => ({ status, body: { error: 'fault injected by the sandbox', status } }),
  renderLimit: (limit) => ({
    status: 429,
    body: { error: `${limit} limit exhausted (fault injected by the sandbox)` },
  }),
};

/**
 * Runs in front of every request but the admin API, health and metrics: admission (e.g. concurrency limits), injected faults
 * (latency, errors, dropped connections, exhausted limits), then the route; when the response ends it
 * records writes and faults in the ledger, every request in the request log, and (with a logger) one
 * log line naming the client and the fault.
 */
@Injectable()
export class SandboxTrafficMiddleware {
  private readonly logger: Logger | undefined;
  private readonly dialect: SandboxErrorDialect;
  private readonly passThrough: readonly string[];

  constructor(
    @Inject(SANDBOX_ADMIN_OPTIONS) private readonly options: SandboxAdminOptions,
    private readonly ledger: WriteLedger,
    private readonly faults: FaultInjector,
    private readonly requests: RequestLog,
  ) {
    this.logger = options.logger;
    this.dialect = options.dialect ?? GENERIC_DIALECT;
    this.passThrough = [...ALWAYS_PASS_THROUGH, ...(options.passThroughPaths ?? [])];
  }

  async use(req: FrameworkRequest, res: ServerResponse, next: (error?: unknown) => void): Promise<void> {
    const path = pathOf(req);
    if (this.passThrough.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) {
      next();
      return;
    }
    const info: SandboxRequestInfo = {
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      headers: req.headers,
      query: req.query ?? {},
    };
    const arrivedAt = new Date();
    const started = performance.now();
    const clientId = this.identify(info);
    const isWrite = this.options.isWrite ? this.options.isWrite(info) : !READ_METHODS.has(info.method);
    const responseText = isWrite ? captureResponseText(res) : undefined;
    let fault: AppliedFault | undefined;
    let release: (() => void) | undefined;

    res.once('close', () => {
      release?.();
      const status = res.writableFinished ? res.statusCode : 0;
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const route = routeOf(req, info);
      this.requests.add({
        at: arrivedAt.toISOString(),
        method: info.method,
        path,
        status,
        ms,
        clientId,
        faultRuleId: fault?.ruleId,
      });
      if (isWrite || fault) {
        const query =
          Object.keys(info.query).length > 0
            ? (redactSecrets(info.query) as Record<string, unknown>)
            : undefined;
        const summary = responseText?.();
        this.ledger.record({
          at: arrivedAt.toISOString(),
          method: info.method,
          path,
          route,
          status,
          requestBody: redactSecrets(req.body ?? null),
          ...(query ? { query } : {}),
          ...(summary ? { responseSummary: summary } : {}),
          ...(clientId ? { clientId } : {}),
          ...(fault ? { fault } : {}),
        });
      }
      this.logger?.info(
        { method: info.method, path, route, status, ms, clientId, fault: fault?.ruleId },
        'sandbox request',
      );
    });

    try {
      const admission = this.options.admit?.(info);
      if (admission && !admission.admitted) {
        sendSandboxResponse(res, admission.response);
        return;
      }
      release = admission?.release ? once(admission.release) : undefined;

      const decision = this.faults.decide(info.method, path);
      if (!decision) {
        next();
        return;
      }
      fault = appliedFault(decision);
      if (decision.latencyMs > 0) {
        await sleep(decision.latencyMs);
        if (res.destroyed || req.socket.destroyed) return;
      }
      const outcome = decision.outcome;
      if (!outcome) {
        next();
        return;
      }
      if (outcome.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      const response: SandboxResponse =
        outcome.kind === 'limit'
          ? this.dialect.renderLimit(outcome.limit, info)
          : outcome.body !== undefined
            ? { status: outcome.status, body: outcome.body }
            : this.dialect.renderError(outcome.status, info);
      fault = { ...fault, status: response.status };
      sendSandboxResponse(res, response);
    } catch (error) {
      next(error);
    }
  }

  private identify(info: SandboxRequestInfo): string | undefined {
    try {
      return this.options.identifyClient?.(info);
    } catch {
      return undefined;
    }
  }
}

function appliedFault(decision: FaultDecision): AppliedFault {
  const outcome = decision.outcome;
  const ruleId = outcome?.ruleId ?? decision.latencyRuleIds[0] ?? 'unknown';
  return {
    ruleId,
    ...(decision.latencyMs > 0
      ? { latencyMs: decision.latencyMs, latencyRuleIds: decision.latencyRuleIds }
      : {}),
    ...(outcome ? { outcome: outcome.kind } : {}),
    ...(outcome?.kind === 'limit' ? { limit: outcome.limit } : {}),
    ...(outcome?.kind === 'error' ? { status: outcome.status } : {}),
  };
}

function pathOf(req: FrameworkRequest): string {
  const url = req.originalUrl ?? req.url ?? '/';
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(0, q) : url;
}

/** "METHOD /pattern" of the route that matched (known once the router ran), else "METHOD /path". */
function routeOf(req: FrameworkRequest, info: SandboxRequestInfo): string {
  const pattern = req.route?.path;
  return typeof pattern === 'string'
    ? `${info.method} ${req.baseUrl ?? ''}${pattern}`
    : `${info.method} ${info.path}`;
}

/** Keeps the first characters of what is written on the response. */
function captureResponseText(res: ServerResponse): () => string | undefined {
  const chunks: Buffer[] = [];
  let size = 0;
  const limit = RESPONSE_SUMMARY_CHARS * 4;
  const keep = (chunk: unknown, encoding: unknown): void => {
    if (size >= limit || chunk === undefined || chunk === null || typeof chunk === 'function') return;
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : chunk instanceof Uint8Array
        ? Buffer.from(chunk)
        : Buffer.from(
            String(chunk),
            typeof encoding === 'string' && Buffer.isEncoding(encoding) ? encoding : 'utf8',
          );
    chunks.push(buffer.subarray(0, limit - size));
    size += Math.min(buffer.length, limit - size);
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.write = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return write(...args);
  }) as typeof res.write;
  res.end = ((...args: unknown[]) => {
    keep(args[0], args[1]);
    return end(...args);
  }) as typeof res.end;
  return () =>
    size === 0
      ? undefined
      : redactSecretsInBodyText(Buffer.concat(chunks).toString('utf8')).slice(0, RESPONSE_SUMMARY_CHARS);
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
