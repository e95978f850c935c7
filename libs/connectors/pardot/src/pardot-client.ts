import { externalApiMetrics, HttpExchange, type ExternalApiMetrics } from '@pardot-x3/connector-kit';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '@pardot-x3/failure-policy';
import type { Logger } from '@pardot-x3/observability';
import type { SalesforceTokenProvider } from '@pardot-x3/salesforce-connector';
import axios, { type AxiosInstance, type Method } from 'axios';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { PardotConfig } from './pardot.config.js';
import {
  PARDOT_ERROR,
  PardotApiError,
  maskEmail,
  pardotErrorFromResponse,
  parsePardotError,
} from './pardot.error.js';
import { PardotRateLimiter } from './pardot-rate-limiter.js';
import type {
  PardotExternalActivity,
  PardotExternalActivityQuery,
  PardotExternalActivityRecord,
  PardotFieldValues,
  PardotObject,
  PardotProspect,
  PardotProspectQuery,
  PardotVisitorActivityQuery,
} from './pardot.types.js';

export interface PardotClientOptions {
  /** `https://pi.pardot.com` (or the demo host). */
  readonly baseUrl: string;
  readonly businessUnitId: string;
  /** Salesforce OAuth token source (connected app with the `pardot_api` scope). */
  readonly auth: SalesforceTokenProvider;
  readonly limiter: PardotRateLimiter;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** Marketing App Extension of our external activities. */
  readonly externalActivityExtension?: string;
  readonly logger?: Logger;
  readonly registry?: Registry;
}

interface Request {
  readonly method: Method;
  readonly url: string;
  readonly params?: Record<string, string | number | boolean | undefined>;
  readonly json?: unknown;
  readonly form?: Record<string, string>;
  /** Creates something each time it is applied: an attempt that may have been applied is not repeated. */
  readonly notIdempotent?: boolean;
}

const DEFAULT_PAGE_SIZE = 200;

/**
 * Client of the Pardot (Account Engagement) API v5 and the v4 prospect routes of the product brief.
 * Every call goes through the business unit's shared rate limiter (≤ 5 concurrent, daily budget);
 * error 66 is retried after a back-off, error 122 makes the call wait for the budget to come back.
 */
export class PardotClient {
  private readonly http: AxiosInstance;
  private readonly metrics: ExternalApiMetrics;
  private readonly exchanges: HttpExchange;

  constructor(private readonly options: PardotClientOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 30_000,
      validateStatus: () => true,
      maxRedirects: 0,
    });
    this.metrics = externalApiMetrics(options.registry);
    this.exchanges = new HttpExchange({
      system: 'pardot',
      metrics: this.metrics,
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
      logger: options.logger,
    });
  }

  /** Builds the shared rate limiter and the client from the validated environment. */
  static fromConfig(
    config: PardotConfig,
    deps: { auth: SalesforceTokenProvider; dataSource: DataSource; logger?: Logger; registry?: Registry },
  ): PardotClient {
    const limiter = new PardotRateLimiter({
      dataSource: deps.dataSource,
      businessUnitId: config.PARDOT_BUSINESS_UNIT_ID,
      dailyBudget: config.PARDOT_DAILY_BUDGET,
      maxConcurrency: config.PARDOT_MAX_CONCURRENCY,
      timeZone: config.PARDOT_BUDGET_TIME_ZONE,
      leaseTtlMs: config.PARDOT_TIMEOUT_MS + 15_000,
      limitProbeIntervalMs: config.PARDOT_LIMIT_PROBE_INTERVAL_MS,
      logger: deps.logger,
      registry: deps.registry,
    });
    return new PardotClient({
      baseUrl: config.PARDOT_BASE_URL,
      businessUnitId: config.PARDOT_BUSINESS_UNIT_ID,
      auth: deps.auth,
      limiter,
      timeoutMs: config.PARDOT_TIMEOUT_MS,
      externalActivityExtension: config.PARDOT_EXTERNAL_ACTIVITY_EXTENSION,
      logger: deps.logger,
      registry: deps.registry,
    });
  }

  get limiter(): PardotRateLimiter {
    return this.options.limiter;
  }

  // ---- prospects (v5) ------------------------------------------------------------------------

  /** Prospects page by page (`nextPageToken`), e.g. everything updated since the last poll. */
  async *queryProspects(query: PardotProspectQuery): AsyncGenerator<PardotProspect> {
    yield* this.pages<PardotProspect>(
      'queryProspects',
      'the prospect query',
      '/api/v5/objects/prospects',
      query.fields,
      {
        limit: pageSize(query.pageSize),
        updatedAtAfterOrEqualTo: query.updatedSince && pardotDateTime(query.updatedSince),
        updatedAtBefore: query.updatedBefore && pardotDateTime(query.updatedBefore),
        deleted: query.deleted,
        orderBy: query.updatedSince || query.updatedBefore ? 'updatedAt' : undefined,
      },
    );
  }

  async readProspect(id: number, fields: readonly string[]): Promise<PardotProspect> {
    return this.send<PardotProspect>('readProspect', `the read of prospect ${id}`, {
      method: 'GET',
      url: `/api/v5/objects/prospects/${encodeURIComponent(String(id))}`,
      params: { fields: fieldList(fields) },
    });
  }

  /** Creates a prospect (with AMPSEA a second call creates a second prospect: prefer `upsertProspectByEmail`). */
  async createProspect(
    values: PardotFieldValues,
    fields: readonly string[] = ['id', 'email'],
  ): Promise<PardotProspect> {
    const email = typeof values['email'] === 'string' ? maskEmail(values['email']) : '(no email)';
    return this.send<PardotProspect>('createProspect', `the new prospect ${email}`, {
      method: 'POST',
      url: '/api/v5/objects/prospects',
      params: { fields: fieldList(fields) },
      json: values,
    });
  }

  /** Changes only the given fields of prospect `id`. */
  async updateProspect(
    id: number,
    values: PardotFieldValues,
    fields: readonly string[] = ['id', 'email'],
  ): Promise<PardotProspect> {
    return this.send<PardotProspect>('updateProspect', `the update of prospect ${id}`, {
      method: 'PATCH',
      url: `/api/v5/objects/prospects/${encodeURIComponent(String(id))}`,
      params: { fields: fieldList(fields) },
      json: values,
    });
  }

  /**
   * Updates the most recently updated prospect with this email, or creates one
   * (`do/upsertLatestByEmail`); custom fields by API name (`ERP_Customer_Code__c`). Idempotent.
   */
  async upsertProspectByEmail(
    email: string,
    values: PardotFieldValues,
    options: { fields?: readonly string[]; secondaryDeletedSearch?: boolean } = {},
  ): Promise<PardotProspect> {
    return this.send<PardotProspect>('upsertProspect', `prospect ${maskEmail(email)}`, {
      method: 'POST',
      url: '/api/v5/objects/prospects/do/upsertLatestByEmail',
      json: {
        matchEmail: email,
        prospect: { ...values, email: values['email'] ?? email },
        fields: [...(options.fields ?? ['id', 'email'])],
        secondaryDeletedSearch: options.secondaryDeletedSearch ?? true,
      },
    });
  }

  // ---- custom fields, visitor activities (v5) ------------------------------------------------

  async listCustomFields(
    fields: readonly string[] = ['id', 'name', 'fieldId', 'type', 'salesforceId', 'isRequired'],
  ): Promise<PardotObject[]> {
    const out: PardotObject[] = [];
    for await (const field of this.pages<PardotObject>(
      'listCustomFields',
      'the custom field list',
      '/api/v5/objects/custom-fields',
      fields,
      {
        limit: 1000,
      },
    )) {
      out.push(field);
    }
    return out;
  }

  async *queryVisitorActivities(query: PardotVisitorActivityQuery): AsyncGenerator<PardotObject> {
    yield* this.pages<PardotObject>(
      'queryVisitorActivities',
      'the visitor activity query',
      '/api/v5/objects/visitor-activities',
      query.fields,
      {
        limit: pageSize(query.pageSize),
        createdAtAfterOrEqualTo: query.createdSince && pardotDateTime(query.createdSince),
        createdAtBefore: query.createdBefore && pardotDateTime(query.createdBefore),
        prospectId: query.prospectId,
        orderBy: query.createdSince || query.createdBefore ? 'createdAt' : undefined,
      },
    );
  }

  // ---- external activities (v5) --------------------------------------------------------------

  /** Records an ERP event (e.g. "X3 Order Shipped") as an external activity on the prospect with this email. */
  async createExternalActivity(activity: PardotExternalActivity): Promise<void> {
    const extension = activity.extension ?? this.options.externalActivityExtension;
    if (!extension)
      throw new Error(
        'createExternalActivity: no extension given and PARDOT_EXTERNAL_ACTIVITY_EXTENSION is not set',
      );
    await this.send(
      'createExternalActivity',
      `the ${activity.type} activity for prospect ${maskEmail(activity.email)}`,
      {
        method: 'POST',
        url: '/api/v5/external-activities',
        notIdempotent: true,
        json: {
          extension,
          type: activity.type,
          value: activity.value,
          email: activity.email,
          ...(activity.activityDate ? { activityDate: pardotDateTime(activity.activityDate) } : {}),
        },
      },
    );
  }

  /**
   * External activities created in a time window, page by page, oldest first. Reads may lag writes by up
   * to 60 s (Account Engagement serves v5 reads from a cache): a caller confirming a submission waits that
   * long after it before trusting an empty answer.
   */
  async *queryExternalActivities(
    query: PardotExternalActivityQuery,
  ): AsyncGenerator<PardotExternalActivityRecord> {
    yield* this.pages<PardotExternalActivityRecord>(
      'queryExternalActivities',
      'the external activity query',
      '/api/v5/external-activities',
      query.fields ?? ['id', 'extension', 'type', 'value', 'email', 'activityDate', 'createdAt'],
      {
        limit: pageSize(query.pageSize),
        createdAtAfterOrEqualTo: pardotDateTime(query.createdSince),
        createdAtBefore: query.createdBefore && pardotDateTime(query.createdBefore),
        orderBy: 'createdAt',
      },
    );
  }

  // ---- legacy v4 prospect routes -------------------------------------------------------------

  /** `/api/prospect/version/4/do/read/id/{id}` (JSON); v4 snake_case fields. */
  async readProspectV4(id: number): Promise<Record<string, unknown>> {
    const body = await this.send<Record<string, unknown>>('readProspectV4', `the v4 read of prospect ${id}`, {
      method: 'POST',
      url: `/api/prospect/version/4/do/read/id/${encodeURIComponent(String(id))}`,
      form: { format: 'json' },
    });
    return prospectOfV4(body);
  }

  /** `/api/prospect/version/4/do/update/id/{id}`: only the named fields change; an empty string clears one. */
  async updateProspectV4(
    id: number,
    values: Readonly<Record<string, string | number | boolean | null>>,
  ): Promise<Record<string, unknown>> {
    const form: Record<string, string> = { format: 'json' };
    for (const [name, value] of Object.entries(values)) form[name] = value === null ? '' : String(value);
    const body = await this.send<Record<string, unknown>>(
      'updateProspectV4',
      `the v4 update of prospect ${id}`,
      {
        method: 'POST',
        url: `/api/prospect/version/4/do/update/id/${encodeURIComponent(String(id))}`,
        form,
      },
    );
    return prospectOfV4(body);
  }

  // ---- transport -----------------------------------------------------------------------------

  private async *pages<T>(
    operation: string,
    what: string,
    url: string,
    fields: readonly string[],
    filters: Record<string, string | number | boolean | undefined>,
  ): AsyncGenerator<T> {
    let params: Record<string, string | number | boolean | undefined> = {
      fields: fieldList(fields),
      ...filters,
    };
    for (;;) {
      const page = await this.send<{ values?: T[]; nextPageToken?: string | null }>(operation, what, {
        method: 'GET',
        url,
        params,
      });
      if (!page || !Array.isArray(page.values)) throw unexpected(operation, what, page);
      for (const value of page.values) yield value;
      if (!page.nextPageToken) return;
      // With a page token only `fields` may accompany it.
      params = { fields: fieldList(fields), nextPageToken: page.nextPageToken };
    }
  }

  /**
   * One logical call through the connectors' shared exchange: each attempt holds a slot of the
   * business unit's rate limiter; transient failures are retried with back-off (an external activity
   * that may have been created is not sent again), error 122 turned into a wait for the budget, a
   * refused token renewed once.
   */
  private async send<T>(operation: string, what: string, request: Request): Promise<T> {
    return this.exchanges.send(
      operation,
      (session) =>
        this.options.limiter.run(() =>
          this.exchange<T>(operation, what, request, session?.accessToken ?? ''),
        ),
      {
        notIdempotent: request.notIdempotent,
        auth: {
          tokens: this.options.auth,
          refused: (error) => error instanceof PardotApiError && error.tokenRefused,
        },
        waitOut: async (error) => {
          if (!(error instanceof PardotApiError && error.dailyLimitMet)) return false;
          await this.options.limiter.reportDailyLimitMet();
          return true;
        },
      },
    );
  }

  private async exchange<T>(
    operation: string,
    what: string,
    request: Request,
    accessToken: string,
  ): Promise<T> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${accessToken}`,
      'pardot-business-unit-id': this.options.businessUnitId,
      accept: 'application/json',
    };
    let data: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      data = JSON.stringify(request.json);
    } else if (request.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      data = new URLSearchParams(request.form).toString();
    }
    const response = await this.exchanges.request(operation, what, () =>
      this.http.request<unknown>({
        method: request.method,
        url: request.url,
        params: cleanParams(request.params),
        headers,
        data,
      }),
    );
    const body = response.data;
    // v4 reports failures inside a 200 envelope too.
    const v4Failure = response.status < 400 && parsePardotError(body).code !== undefined && isV4Failure(body);
    if (response.status >= 400 || v4Failure) {
      const failure = pardotErrorFromResponse(operation, what, response.status, body);
      if (failure.pardotCode === PARDOT_ERROR.CONCURRENT_REQUEST_LIMIT)
        this.metrics.limitHits.inc({ system: 'pardot', kind: 'concurrency' });
      if (failure.dailyLimitMet)
        this.options.logger?.warn(
          { operation, businessUnitId: this.options.businessUnitId },
          'Pardot reports its daily API limit met (error 122)',
        );
      throw failure;
    }
    return (response.status === 204 || body === '' ? undefined : body) as T;
  }
}

function isV4Failure(body: unknown): boolean {
  const attributes = (body as { '@attributes'?: { stat?: unknown } } | null)?.['@attributes'];
  return attributes?.stat === 'fail';
}

function prospectOfV4(body: Record<string, unknown> | undefined): Record<string, unknown> {
  const prospect = body?.['prospect'];
  if (prospect === null || typeof prospect !== 'object')
    throw unexpected('readProspectV4', 'a v4 prospect call', body);
  return prospect as Record<string, unknown>;
}

/** ISO-8601 in UTC with a numeric offset and whole seconds (`2026-11-26T10:00:00+00:00`), the form Pardot v5 documents. */
export function pardotDateTime(date: Date): string {
  return date.toISOString().replace(/(\.\d{3})?Z$/, '+00:00');
}

function fieldList(fields: readonly string[]): string {
  if (fields.length === 0) throw new Error('Pardot v5 needs at least one field in `fields`');
  return fields.join(',');
}

function pageSize(size: number | undefined): number {
  return Math.min(1000, Math.max(1, size ?? DEFAULT_PAGE_SIZE));
}

function cleanParams(params: Request['params']): Record<string, string | number | boolean> | undefined {
  if (!params) return undefined;
  return Object.fromEntries(
    Object.entries(params).filter(
      (entry): entry is [string, string | number | boolean] => entry[1] !== undefined,
    ),
  );
}

function unexpected(operation: string, what: string, body: unknown): PardotApiError {
  return new PardotApiError(
    `Pardot answered ${what} with an unexpected body: ${JSON.stringify(body)?.slice(0, 200)}`,
    { operation, kind: 'permanent-data' },
  );
}
