import { externalApiMetrics, HttpExchange, type ExternalApiMetrics } from '@pardot-x3/connector-kit';
import {
  DEFAULT_RETRY_POLICY,
  type RetryPolicy,
  classifySalesforceResponse,
  isPermanent,
} from '@pardot-x3/failure-policy';
import type { Logger } from '@pardot-x3/observability';
// jsforce's core, not its index: the index registers every API (bulk, SOAP, metadata, streaming, ...) and
// loads their dependencies, ~3.4 MB of heap this client never uses (docs/decisions/0132)
import { Connection } from 'jsforce/lib/core.js';
import { HttpApi } from 'jsforce/lib/http-api.js';
import type { HttpResponse } from 'jsforce';
import type { Registry } from 'prom-client';
import { SalesforceAuth, type SalesforceSession, type SalesforceTokenProvider } from './salesforce-auth.js';
import { salesforceCredentialsFromConfig, type SalesforceConfig } from './salesforce.config.js';
import {
  SalesforceApiError,
  parseSalesforceErrors,
  salesforceErrorFromResponse,
} from './salesforce.error.js';
import type {
  SalesforceApiUsage,
  SalesforceChangeWindow,
  SalesforceFieldValues,
  SalesforceRecord,
  SalesforceRecordResult,
  SalesforceUpsertResult,
} from './salesforce.types.js';
import { parseSforceLimitInfo } from './sforce-limit-info.js';
import { soqlDateTime, soqlFieldList, soqlId, soqlName } from './soql.util.js';

/** sObject Collections accept at most 200 records per request. */
export const SALESFORCE_COLLECTION_LIMIT = 200;
/** Ids per `WHERE Id IN (…)` query, to keep the URL well under Salesforce's 16 KB limit. */
const IDS_PER_QUERY = 200;

export interface SalesforceClientOptions {
  readonly auth: SalesforceTokenProvider;
  /** REST API version, e.g. `62.0`. */
  readonly apiVersion: string;
  /** Sent as `Sforce-Call-Options: client=<id>` on every call; CDC `changeOrigin` carries it back. */
  readonly callClientId: string;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly logger?: Logger;
  readonly registry?: Registry;
}

type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

interface QueryPage {
  readonly totalSize: number;
  readonly done: boolean;
  readonly nextRecordsUrl?: string;
  readonly records: SalesforceRecord[];
}

/**
 * Client of the Salesforce REST API over jsforce's HTTP layer: our own OAuth token (renewed once on
 * 401/INVALID_SESSION_ID), `Sforce-Call-Options: client=…` on every call, `Sforce-Limit-Info` turned
 * into `px3_external_api_budget_remaining{system="salesforce"}`, typed errors, and retries with
 * jittered back-off for transient failures only.
 */
export class SalesforceClient {
  private readonly conn: Connection;
  private readonly metrics: ExternalApiMetrics;
  private readonly exchanges: HttpExchange;
  private readonly timeoutMs: number;
  private usage?: SalesforceApiUsage;

  constructor(private readonly options: SalesforceClientOptions) {
    if (!/^\d{2,3}\.0$/.test(options.apiVersion))
      throw new Error(`Salesforce API version "${options.apiVersion}" must look like 62.0`);
    this.conn = new Connection({
      version: options.apiVersion,
      callOptions: { client: options.callClientId },
    });
    this.metrics = externalApiMetrics(options.registry);
    this.exchanges = new HttpExchange({
      system: 'salesforce',
      metrics: this.metrics,
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
      logger: options.logger,
    });
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Builds the token provider and the client from the validated environment. */
  static fromConfig(
    config: SalesforceConfig,
    deps: { logger?: Logger; registry?: Registry } = {},
  ): SalesforceClient {
    const auth = new SalesforceAuth({
      loginUrl: config.SALESFORCE_LOGIN_URL,
      instanceUrl: config.SALESFORCE_INSTANCE_URL,
      credentials: salesforceCredentialsFromConfig(config),
      timeoutMs: config.SALESFORCE_TIMEOUT_MS,
      logger: deps.logger,
      registry: deps.registry,
    });
    return new SalesforceClient({
      auth,
      apiVersion: config.SALESFORCE_API_VERSION,
      callClientId: config.SALESFORCE_CALL_CLIENT_ID,
      timeoutMs: config.SALESFORCE_TIMEOUT_MS,
      logger: deps.logger,
      registry: deps.registry,
    });
  }

  /** The token provider, shared with the Pardot connector and the CDC subscriber. */
  get auth(): SalesforceTokenProvider {
    return this.options.auth;
  }

  get apiVersion(): string {
    return this.options.apiVersion;
  }

  get callClientId(): string {
    return this.options.callClientId;
  }

  /** Daily API usage from the last response, when Salesforce reported it. */
  get apiUsage(): SalesforceApiUsage | undefined {
    return this.usage;
  }

  // ---- single records ------------------------------------------------------------------------

  async retrieve(sobject: string, id: string, fields?: readonly string[]): Promise<SalesforceRecord> {
    const query =
      fields && fields.length > 0 ? `?fields=${encodeURIComponent(soqlFieldList(['Id', ...fields]))}` : '';
    return this.send<SalesforceRecord>(
      'retrieve',
      `read ${sobject} ${id}`,
      'GET',
      `/sobjects/${soqlName(sobject)}/${encodeURIComponent(id)}${query}`,
    );
  }

  /** Creates a record; returns its id. */
  async create(sobject: string, fields: SalesforceFieldValues): Promise<string> {
    const result = await this.send<{ id?: string; success?: boolean }>(
      'create',
      `create ${sobject}`,
      'POST',
      `/sobjects/${soqlName(sobject)}/`,
      fields,
    );
    if (typeof result?.id !== 'string') throw this.unexpected('create', `create ${sobject}`, result);
    return result.id;
  }

  async update(sobject: string, id: string, fields: SalesforceFieldValues): Promise<void> {
    await this.send(
      'update',
      `update ${sobject} ${id}`,
      'PATCH',
      `/sobjects/${soqlName(sobject)}/${encodeURIComponent(id)}`,
      withoutId(fields),
    );
  }

  /** Upsert by external id: creates when no record has `externalIdField = value`, updates the one that has. */
  async upsertByExternalId(
    sobject: string,
    externalIdField: string,
    value: string,
    fields: SalesforceFieldValues,
  ): Promise<SalesforceUpsertResult> {
    const body = { ...withoutId(fields) };
    delete (body as Record<string, unknown>)[externalIdField];
    const path = `/sobjects/${soqlName(sobject)}/${soqlName(externalIdField)}/${encodeURIComponent(value)}`;
    const result = await this.send<{ id?: string; created?: boolean } | undefined>(
      'upsert',
      `upsert ${sobject} ${externalIdField}=${value}`,
      'PATCH',
      path,
      body,
    );
    return { id: typeof result?.id === 'string' ? result.id : undefined, created: result?.created === true };
  }

  // ---- sObject Collections -------------------------------------------------------------------

  /** Creates many records of one type, ≤ 200 per call; one result per record, in input order. */
  async createMany(
    sobject: string,
    records: readonly SalesforceFieldValues[],
    options: { allOrNone?: boolean } = {},
  ): Promise<SalesforceRecordResult[]> {
    const type = soqlName(sobject);
    const payload = records.map((record) => ({ attributes: { type }, ...withoutId(record) }));
    return this.collection(
      'createMany',
      `create ${records.length} ${sobject} records`,
      'POST',
      '/composite/sobjects',
      payload,
      options.allOrNone ?? false,
    );
  }

  /** Updates many records of one type, ≤ 200 per call; one result per record, in input order. */
  async updateMany(
    sobject: string,
    records: readonly SalesforceFieldValues[],
    options: { allOrNone?: boolean } = {},
  ): Promise<SalesforceRecordResult[]> {
    const type = soqlName(sobject);
    const payload = records.map((record) => {
      const id = record['Id'] ?? record['id'];
      if (typeof id !== 'string') throw new Error(`updateMany ${sobject}: every record needs an Id`);
      return { attributes: { type }, ...withoutId(record), id };
    });
    return this.collection(
      'updateMany',
      `update ${records.length} ${sobject} records`,
      'PATCH',
      '/composite/sobjects',
      payload,
      options.allOrNone ?? false,
    );
  }

  /**
   * Updates many records of any types in one sObject Collections call per 200 records (the API takes
   * mixed types, ≤ 10 of them per call); one result per record, in input order. With allOrNone false
   * (the default) a refused record fails alone.
   */
  async updateRecords(
    records: readonly { readonly sobject: string; readonly fields: SalesforceFieldValues }[],
    options: { allOrNone?: boolean } = {},
  ): Promise<SalesforceRecordResult[]> {
    const payload = records.map(({ sobject, fields }) => {
      const id = fields['Id'] ?? fields['id'];
      if (typeof id !== 'string') throw new Error(`updateRecords ${sobject}: every record needs an Id`);
      return { attributes: { type: soqlName(sobject) }, ...withoutId(fields), id };
    });
    const types = [...new Set(records.map((r) => r.sobject))].join(', ');
    return this.collection(
      'updateMany',
      `update ${records.length} records (${types})`,
      'PATCH',
      '/composite/sobjects',
      payload,
      options.allOrNone ?? false,
    );
  }

  /** Upserts many records of one type by external id, ≤ 200 per call; one result per record, in input order. */
  async upsertMany(
    sobject: string,
    externalIdField: string,
    records: readonly SalesforceFieldValues[],
    options: { allOrNone?: boolean } = {},
  ): Promise<SalesforceRecordResult[]> {
    const type = soqlName(sobject);
    const payload = records.map((record) => {
      if (record[externalIdField] === undefined || record[externalIdField] === null) {
        throw new Error(`upsertMany ${sobject}: every record needs ${externalIdField}`);
      }
      return { attributes: { type }, ...withoutId(record) };
    });
    return this.collection(
      'upsertMany',
      `upsert ${records.length} ${sobject} records by ${externalIdField}`,
      'PATCH',
      `/composite/sobjects/${type}/${soqlName(externalIdField)}`,
      payload,
      options.allOrNone ?? false,
    );
  }

  private async collection(
    operation: string,
    what: string,
    method: 'POST' | 'PATCH',
    path: string,
    records: readonly Record<string, unknown>[],
    allOrNone: boolean,
  ): Promise<SalesforceRecordResult[]> {
    const results: SalesforceRecordResult[] = [];
    for (let start = 0; start < records.length; start += SALESFORCE_COLLECTION_LIMIT) {
      const chunk = records.slice(start, start + SALESFORCE_COLLECTION_LIMIT);
      const response = await this.send<unknown>(operation, what, method, path, {
        allOrNone,
        records: chunk,
      });
      if (!Array.isArray(response) || response.length !== chunk.length)
        throw this.unexpected(operation, what, response);
      response.forEach((entry: unknown, i) => results.push(toRecordResult(start + i, entry)));
    }
    return results;
  }

  // ---- queries -------------------------------------------------------------------------------

  /** Runs a SOQL query and yields every record, following `nextRecordsUrl` page by page. */
  async *query<T extends SalesforceRecord = SalesforceRecord>(soql: string): AsyncGenerator<T> {
    let page = await this.send<QueryPage>(
      'query',
      'a SOQL query',
      'GET',
      `/query?q=${encodeURIComponent(soql)}`,
    );
    for (;;) {
      if (!page || !Array.isArray(page.records)) throw this.unexpected('query', 'a SOQL query', page);
      for (const record of page.records) yield record as T;
      if (page.done || !page.nextRecordsUrl) return;
      page = await this.send<QueryPage>('query', 'the next page of a SOQL query', 'GET', page.nextRecordsUrl);
    }
  }

  /** All records of a SOQL query (for small results; prefer `query()` for large ones). */
  async queryAll<T extends SalesforceRecord = SalesforceRecord>(soql: string): Promise<T[]> {
    const records: T[] = [];
    for await (const record of this.query<T>(soql)) records.push(record);
    return records;
  }

  /**
   * Records changed in a time window, oldest first (`ORDER BY <timestamp>, Id`), for pollers and for
   * repairing a CDC gap after an expired replay id.
   */
  changedSince(window: SalesforceChangeWindow): AsyncGenerator<SalesforceRecord> {
    const field = window.timestampField ?? 'SystemModstamp';
    const fields = soqlFieldList(['Id', field, ...window.fields]);
    const conditions = [`${field} >= ${soqlDateTime(window.since)}`];
    if (window.until) conditions.push(`${field} < ${soqlDateTime(window.until)}`);
    if (window.where) conditions.push(`(${window.where})`);
    return this.query(
      `SELECT ${fields} FROM ${soqlName(window.sobject)} WHERE ${conditions.join(' AND ')} ORDER BY ${field} ASC, Id ASC`,
    );
  }

  /** Reads records by id (e.g. after a CDC GAP event); ids that do not exist are simply absent. */
  async retrieveByIds(
    sobject: string,
    ids: readonly string[],
    fields: readonly string[],
  ): Promise<SalesforceRecord[]> {
    const unique = [...new Set(ids)];
    const out: SalesforceRecord[] = [];
    const list = soqlFieldList(['Id', ...fields]);
    for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
      const chunk = unique
        .slice(i, i + IDS_PER_QUERY)
        .map(soqlId)
        .join(', ');
      out.push(...(await this.queryAll(`SELECT ${list} FROM ${soqlName(sobject)} WHERE Id IN (${chunk})`)));
    }
    return out;
  }

  /** A query against the Tooling API (e.g. MarketingAppExtension for Pardot external activities). */
  async toolingQuery<T extends Record<string, unknown> = Record<string, unknown>>(
    soql: string,
  ): Promise<T[]> {
    const page = await this.send<{ records?: T[] }>(
      'toolingQuery',
      'a Tooling API query',
      'GET',
      `/tooling/query?q=${encodeURIComponent(soql)}`,
    );
    return Array.isArray(page?.records) ? page.records : [];
  }

  /**
   * Every record of a child subquery's result in a row (`(SELECT … FROM OpportunityLineItems)` comes
   * back as `{totalSize, done, records, nextRecordsUrl}`, or null when there are none), following its
   * further pages.
   */
  async subqueryRecords(result: unknown): Promise<SalesforceRecord[]> {
    if (result === null || typeof result !== 'object') return [];
    let page = result as QueryPage;
    const records: SalesforceRecord[] = [...(page.records ?? [])];
    while (!page.done && page.nextRecordsUrl) {
      page = await this.send<QueryPage>('query', 'the next page of a subquery', 'GET', page.nextRecordsUrl);
      records.push(...(page.records ?? []));
    }
    return records;
  }

  // ---- transport -----------------------------------------------------------------------------

  /** One REST call through the connectors' shared exchange (token renewed once, transient failures retried). */
  private async send<T>(
    operation: string,
    what: string,
    method: HttpMethod,
    path: string,
    body?: unknown,
  ): Promise<T> {
    return this.exchanges.send<T, SalesforceSession>(
      operation,
      (session) => this.exchange<T>(session!, operation, what, method, path, body),
      {
        auth: {
          tokens: this.options.auth,
          refused: (error) => error instanceof SalesforceApiError && error.sessionExpired,
        },
      },
    );
  }

  private async exchange<T>(
    session: SalesforceSession,
    operation: string,
    what: string,
    method: HttpMethod,
    path: string,
    body?: unknown,
  ): Promise<T> {
    this.conn.instanceUrl = session.instanceUrl;
    this.conn.accessToken = session.accessToken;
    const url = path.startsWith('/services/')
      ? `${session.instanceUrl}${path}`
      : `${session.instanceUrl}/services/data/v${this.options.apiVersion}${path}`;
    const api = new HttpApi(this.conn, { timeout: this.timeoutMs, retry: { maxRetries: 0 } });
    let response: HttpResponse | undefined;
    api.on('response', (r: HttpResponse) => {
      response = r;
    });
    // jsforce rejects an HTTP error too: with a response it is Salesforce's answer, without one no answer came.
    const answer = await this.exchanges.request(operation, what, async () => {
      try {
        const result = (await api.request<T>({
          method,
          url,
          ...(body === undefined
            ? {}
            : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        })) as T;
        return { status: response?.statusCode ?? 200, response, result, failed: false as const };
      } catch (error) {
        if (!response) throw error;
        return { status: response.statusCode, response, failed: true as const };
      }
    });
    this.trackLimits(answer.response);
    if (!answer.failed) return answer.result;
    const failure = salesforceErrorFromResponse(operation, what, answer.status, parseBody(answer.response!));
    if (failure.kind === 'throttled') this.metrics.limitHits.inc({ system: 'salesforce', kind: 'daily' });
    throw failure;
  }

  private trackLimits(response: HttpResponse | undefined): void {
    const usage = parseSforceLimitInfo(response?.headers['sforce-limit-info']).apiUsage;
    if (!usage) return;
    this.usage = usage;
    this.metrics.budgetRemaining.set(
      { system: 'salesforce', scope: 'org' },
      Math.max(0, usage.limit - usage.used),
    );
  }

  private unexpected(operation: string, what: string, body: unknown): SalesforceApiError {
    return new SalesforceApiError(
      `Salesforce answered ${what} with an unexpected body: ${JSON.stringify(body)?.slice(0, 200)}`,
      {
        operation,
        kind: 'permanent-data',
        errors: [{ errorCode: 'UNEXPECTED_RESPONSE', message: 'unexpected response body' }],
      },
    );
  }
}

function parseBody(response: HttpResponse): unknown {
  try {
    return JSON.parse(response.body);
  } catch {
    return response.body;
  }
}

function withoutId(fields: SalesforceFieldValues): Record<string, unknown> {
  const { Id: _Id, id: _id, ...rest } = fields as Record<string, unknown>;
  return rest;
}

/** Normalises one sObject Collections result (`statusCode` → `errorCode`). */
export function toRecordResult(index: number, entry: unknown): SalesforceRecordResult {
  const e = (entry ?? {}) as Record<string, unknown>;
  const errors = e['success'] === true ? [] : parseSalesforceErrors(e['errors'] ?? [], undefined);
  const verdicts = errors.map((err) => classifySalesforceResponse(undefined, err.errorCode, err.message));
  // A record is worth another try when any of its errors is (a lock, a rollback caused by a sibling).
  const failure = verdicts.find((v) => !isPermanent(v)) ?? verdicts[0];
  const success = e['success'] === true;
  return {
    index,
    success,
    id: typeof e['id'] === 'string' ? e['id'] : undefined,
    created: typeof e['created'] === 'boolean' ? e['created'] : undefined,
    errors,
    retryable: !success && failure !== undefined && !isPermanent(failure),
    failure: success ? undefined : failure,
  };
}
