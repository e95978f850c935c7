import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
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

/** What the two phases share about one request. */
interface RequestContext {
  readonly info: SandboxRequestInfo;
  fault?: AppliedFault;
  /** The kit answered (admission refused, or a fault outcome): no route served the request. */
  answered?: boolean;
}

/**
 * Runs in front of every request but the admin API, health and metrics, in two phases:
 * - `observe`, mounted on the HTTP server before body parsing and routing: the system's admission check
 *   (e.g. concurrency limits), and the hooks that, when the response ends, record writes and faults in
 *   the ledger, every request in the request log, and (with a logger) one log line;
 * - `injectFaults`, after body parsing: latency, errors, dropped connections, exhausted limits, rendered
 *   in the system's dialect (which may then look at the parsed body, e.g. Pardot's format=json).
 * An admitted request keeps its slot through an injected latency.
 */
@Injectable()
export class SandboxTrafficMiddleware {
  private readonly logger: Logger | undefined;
  private readonly dialect: SandboxErrorDialect;
  private readonly passThrough: readonly string[];
  private readonly contexts = new WeakMap<IncomingMessage, RequestContext>();

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

  /** Phase 1, before body parsing: admission and the bookkeeping done when the response ends. */
  observe(req: FrameworkRequest, res: ServerResponse, next: (error?: unknown) => void): void {
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
    const context: RequestContext = { info };
    this.contexts.set(req, context);
    const arrivedAt = new Date();
    const started = performance.now();
    const clientId = this.identify(info);
    const isWrite = this.options.isWrite ? this.options.isWrite(info) : !READ_METHODS.has(info.method);
    const responseText = isWrite ? captureResponseText(res) : undefined;
    let release: (() => void) | undefined;

    res.once('close', () => {
      release?.();
      const { fault } = context;
      const status = res.writableFinished ? res.statusCode : 0;
      const ms = Math.round((performance.now() - started) * 10) / 10;
      const route = context.answered ? `${info.method} ${path}` : routeOf(req, info);
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
        context.answered = true;
        sendSandboxResponse(res, admission.response);
        return;
      }
      release = admission?.release ? once(admission.release) : undefined;
      next();
    } catch (error) {
      next(error);
    }
  }

  /** Phase 2, after body parsing: the fault rules matching this request, if any. */
  async injectFaults(
    req: FrameworkRequest,
    res: ServerResponse,
    next: (error?: unknown) => void,
  ): Promise<void> {
    const context = this.contexts.get(req);
    if (!context) {
      next();
      return;
    }
    try {
      const decision = this.faults.decide(context.info.method, context.info.path);
      // A rule matched but neither added latency nor drew an outcome: the request was not touched.
      if (!decision || (decision.latencyMs === 0 && !decision.outcome)) {
        next();
        return;
      }
      context.fault = appliedFault(decision);
      if (decision.latencyMs > 0) {
        await sleep(decision.latencyMs);
        if (res.destroyed || req.socket.destroyed) return;
      }
      const outcome = decision.outcome;
      if (!outcome) {
        next();
        return;
      }
      context.answered = true;
      if (outcome.kind === 'drop') {
        req.socket.destroy();
        return;
      }
      if (outcome.kind === 'drop-response') {
        // The route runs (and writes); its answer never leaves: the connection is cut instead.
        context.answered = false;
        cutInsteadOfAnswer(req, res);
        next();
        return;
      }
      const info: SandboxRequestInfo = { ...context.info, body: req.body };
      const response: SandboxResponse =
        outcome.kind === 'limit'
          ? this.dialect.renderLimit(outcome.limit, info)
          : outcome.body !== undefined
            ? { status: outcome.status, body: outcome.body }
            : this.dialect.renderError(outcome.status, info);
      context.fault = { ...context.fault, status: response.status };
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

/** The late phase as a Nest middleware (mounted for every route, after the body parsers). */
@Injectable()
export class SandboxFaultMiddleware implements NestMiddleware<FrameworkRequest, ServerResponse> {
  constructor(private readonly traffic: SandboxTrafficMiddleware) {}

  use(req: FrameworkRequest, res: ServerResponse, next: (error?: unknown) => void): Promise<void> {
    return this.traffic.injectFaults(req, res, next);
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
  // A wildcard pattern belongs to a middleware mount, not to a route.
  return typeof pattern === 'string' && !pattern.includes('*')
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

/** Makes the route's answer destroy the connection instead of reaching the client. */
function cutInsteadOfAnswer(req: FrameworkRequest, res: ServerResponse): void {
  const cut = (): ServerResponse => {
    req.socket.destroy();
    return res;
  };
  res.writeHead = cut as unknown as typeof res.writeHead;
  res.write = (() => {
    req.socket.destroy();
    return false;
  }) as typeof res.write;
  res.end = cut as unknown as typeof res.end;
}

function once(fn: () => void): () => void {
  let done = false;
  return () => {
    if (done) return;
    done = true;
    fn();
  };
}
