import { externalApiMetrics, HttpExchange } from '@pardot-x3/connector-kit';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '@pardot-x3/failure-policy';
import type { Logger } from '@pardot-x3/observability';
import axios, { type AxiosInstance, type Method } from 'axios';
import type { Registry } from 'prom-client';
import type { X3Config } from './x3.config.js';
import { X3ApiError, businessErrorOf, x3ErrorFromResponse } from './x3.error.js';
import { x3DateTime, x3Equals, x3Property } from './x3-query.util.js';
import type {
  X3ChangeWindow,
  X3ClassRef,
  X3CustomerResult,
  X3QueryOptions,
  X3Resource,
  X3SalesOrderRequest,
  X3SalesOrderResult,
  X3Values,
} from './x3.types.js';

export interface X3ClientOptions {
  /** Syracuse host, e.g. `https://x3.example.com:8124`. */
  readonly baseUrl: string;
  /** X3 endpoint (folder), e.g. `SEED`. */
  readonly folder: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs?: number;
  readonly retry?: RetryPolicy;
  /** Representation per class where it differs from the class name (default: SORDER → SOH, SDELIVERY → SDH). */
  readonly representations?: Readonly<Record<string, string>>;
  /** Property of SORDER holding the order lines (default `SORDERQ`). */
  readonly orderLinesProperty?: string;
  readonly logger?: Logger;
  readonly registry?: Registry;
}

interface QueryPage {
  readonly $resources?: X3Resource[];
  readonly $links?: { readonly $next?: { readonly $url?: string } };
}

/**
 * Client of the Sage X3 Syracuse REST API (api1): `$query` with paging, `$details`, `$edit`, `$create`,
 * `$diagnoses` turned into typed business errors, and retries for transient failures only.
 */
export class X3Client {
  private readonly http: AxiosInstance;
  private readonly exchanges: HttpExchange;
  private readonly root: string;
  private readonly representations: Readonly<Record<string, string>>;

  constructor(private readonly options: X3ClientOptions) {
    x3Property(options.folder);
    this.root = `${options.baseUrl.replace(/\/+$/, '')}/api1/x3/erp/${options.folder}`;
    this.http = axios.create({
      timeout: options.timeoutMs ?? 30_000,
      auth: { username: options.username, password: options.password },
      validateStatus: () => true,
      maxRedirects: 0,
      headers: { accept: 'application/json' },
    });
    this.exchanges = new HttpExchange({
      system: 'x3',
      metrics: externalApiMetrics(options.registry),
      retry: options.retry ?? DEFAULT_RETRY_POLICY,
      logger: options.logger,
      unreachable: (message, details) => new X3ApiError(message, details),
    });
    this.representations = { ...DEFAULT_X3_REPRESENTATIONS, ...options.representations };
  }

  static fromConfig(
    config: X3Config,
    deps: { logger?: Logger; registry?: Registry; orderLinesProperty?: string } = {},
  ): X3Client {
    return new X3Client({
      baseUrl: config.X3_BASE_URL,
      folder: config.X3_FOLDER,
      username: config.X3_USERNAME,
      password: config.X3_PASSWORD,
      timeoutMs: config.X3_TIMEOUT_MS,
      orderLinesProperty: deps.orderLinesProperty,
      logger: deps.logger,
      registry: deps.registry,
    });
  }

  // ---- generic api1 facets -------------------------------------------------------------------

  /** `$query`: every matching resource, page by page (`$links.$next`). */
  async *query(options: X3QueryOptions): AsyncGenerator<X3Resource> {
    const repr = this.representation(options);
    const params = new URLSearchParams({ representation: `${repr}.$query` });
    if (options.pageSize) params.set('count', String(options.pageSize));
    if (options.where) params.set('where', options.where);
    if (options.orderBy) params.set('orderBy', options.orderBy);
    if (options.keyAfter !== undefined) params.set('key', `gt.${options.keyAfter}`);
    let url: string | undefined = `${this.classUrl(options.className)}?${params.toString()}`;
    const what = `the ${options.className} query`;
    while (url) {
      const page: QueryPage = await this.send<QueryPage>('query', what, 'GET', url);
      if (!page || !Array.isArray(page.$resources)) throw unexpected('query', what, page);
      for (const resource of page.$resources) yield resource;
      const next: string | undefined = page.$links?.$next?.$url;
      url = next && page.$resources.length > 0 ? next : undefined;
    }
  }

  /** Resources changed since `since`, oldest first, for pollers (`UPDDATTIM ge @…@`). */
  changedSince(window: X3ChangeWindow): AsyncGenerator<X3Resource> {
    const stamp = x3Property(window.timestampProperty ?? 'UPDDATTIM');
    const order = [
      `${stamp} asc`,
      ...(window.keyProperty ? [`${x3Property(window.keyProperty)} asc`] : []),
    ].join(', ');
    return this.query({
      ...window,
      where: `${stamp} ge ${x3DateTime(window.since)}`,
      orderBy: order,
      pageSize: window.pageSize ?? 100,
    });
  }

  /** `$details` of one resource; a missing record is an `X3BusinessError` of kind `record-not-found`. */
  async details(ref: X3ClassRef, key: string): Promise<X3Resource> {
    return this.send<X3Resource>(
      'details',
      `the read of ${ref.className} ${key}`,
      'GET',
      `${this.resourceUrl(ref.className, key)}?representation=${this.representation(ref)}.$details`,
    );
  }

  /** `$edit` PUT with the properties to change (partial body). */
  async update(ref: X3ClassRef, key: string, values: X3Values): Promise<X3Resource> {
    return this.send<X3Resource>(
      'update',
      `the update of ${ref.className} ${key}`,
      'PUT',
      `${this.resourceUrl(ref.className, key)}?representation=${this.representation(ref)}.$edit`,
      values,
    );
  }

  /** `$create` POST. */
  async create(ref: X3ClassRef, values: X3Values, what = `the new ${ref.className}`): Promise<X3Resource> {
    return this.send<X3Resource>(
      'create',
      what,
      'POST',
      `${this.classUrl(ref.className)}?representation=${this.representation(ref)}.$create`,
      values,
    );
  }

  // ---- the flows' operations -----------------------------------------------------------------

  /** Customers matching an api1 predicate (e.g. for dedupe before creating one). */
  async findCustomers(where: string, ref: X3ClassRef = { className: 'BPCUSTOMER' }): Promise<X3Resource[]> {
    const out: X3Resource[] = [];
    for await (const customer of this.query({ ...ref, where, pageSize: 50 })) out.push(customer);
    return out;
  }

  /**
   * Creates a BPCUSTOMER: the financial defaults (category BCGCOD, currency CUR, payment term PTE, tax
   * rule VACBPR, credit control…) under the given values, which win.
   */
  async createCustomer(
    values: X3Values,
    financialDefaults: X3Values = {},
    ref: X3ClassRef = { className: 'BPCUSTOMER' },
  ): Promise<X3CustomerResult> {
    const name = typeof values['BPCNAM'] === 'string' ? ` "${values['BPCNAM']}"` : '';
    const customer = await this.create(ref, { ...financialDefaults, ...values }, `the new customer${name}`);
    const code = customer['BPCNUM'] ?? customer.$key;
    if (typeof code !== 'string' || code === '')
      throw unexpected('create', `the new customer${name}`, customer);
    return { customerCode: code, customer };
  }

  /**
   * Creates an SORDER unless one with the same customer order reference (CUSORDREF = opportunity id)
   * exists: a redelivered request creates nothing new and returns the existing order number.
   */
  async createSalesOrder(
    request: X3SalesOrderRequest,
    ref: X3ClassRef = { className: 'SORDER' },
  ): Promise<X3SalesOrderResult> {
    const what = `the sales order for ${request.customerOrderReference}`;
    const existing = await this.findSalesOrderByReference(request.customerOrderReference, ref);
    if (existing) {
      this.options.logger?.info(
        { customerOrderReference: request.customerOrderReference, orderNumber: existing.orderNumber },
        'X3 sales order already exists; not creating it again',
      );
      return { ...existing, created: false };
    }
    const linesProperty = this.options.orderLinesProperty ?? 'SORDERQ';
    const order = await this.create(
      ref,
      { ...request.header, CUSORDREF: request.customerOrderReference, [linesProperty]: request.lines },
      what,
    );
    const number = order['SOHNUM'] ?? order.$key;
    if (typeof number !== 'string' || number === '') throw unexpected('create', what, order);
    return { orderNumber: number, created: true, order };
  }

  /** The sales order carrying this customer order reference, if any. */
  async findSalesOrderByReference(
    customerOrderReference: string,
    ref: X3ClassRef = { className: 'SORDER' },
  ): Promise<Omit<X3SalesOrderResult, 'created'> | undefined> {
    for await (const order of this.query({
      ...ref,
      where: x3Equals('CUSORDREF', customerOrderReference),
      pageSize: 1,
    })) {
      const number = order['SOHNUM'] ?? order.$key;
      if (typeof number === 'string' && number !== '') return { orderNumber: number, order };
    }
    return undefined;
  }

  // ---- transport -----------------------------------------------------------------------------

  private representation(ref: X3ClassRef): string {
    return x3Property(ref.representation ?? this.representations[ref.className] ?? ref.className);
  }

  private classUrl(className: string): string {
    return `${this.root}/${x3Property(className)}`;
  }

  private resourceUrl(className: string, key: string): string {
    return `${this.classUrl(className)}('${encodeURIComponent(key.replace(/'/g, "''"))}')`;
  }

  /** One call through the connectors' shared exchange; X3 reports business errors in a 200's `$diagnoses`. */
  private async send<T>(
    operation: string,
    what: string,
    method: Method,
    url: string,
    body?: unknown,
  ): Promise<T> {
    return this.exchanges.send(operation, async () => {
      const response = await this.exchanges.request(operation, what, () =>
        this.http.request<unknown>({
          method,
          url,
          ...(body === undefined
            ? {}
            : { data: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
        }),
      );
      if (response.status >= 400) throw x3ErrorFromResponse(operation, what, response.status, response.data);
      // A 200 does not prove success: X3 reports business errors (and locked records) in $diagnoses.
      if (businessErrorOf(operation, what, response.status, response.data))
        throw x3ErrorFromResponse(operation, what, response.status, response.data);
      return response.data as T;
    });
  }
}

/** Standard X3 representations of the classes whose representation is not named like the class. */
export const DEFAULT_X3_REPRESENTATIONS: Readonly<Record<string, string>> = {
  SORDER: 'SOH',
  SDELIVERY: 'SDH',
};

function unexpected(operation: string, what: string, body: unknown): X3ApiError {
  return new X3ApiError(
    `Sage X3 answered ${what} with an unexpected body: ${JSON.stringify(body)?.slice(0, 200)}`,
    { operation, kind: 'permanent-data' },
  );
}
