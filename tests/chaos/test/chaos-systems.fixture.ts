import { setTimeout as sleep } from 'node:timers/promises';
import { LOAD_CREDENTIALS, LOAD_SALESFORCE_CLIENT, type ChaosWorld } from './chaos-world.fixture.js';

/**
 * People working in Salesforce and X3 (the load), and the sandboxes' own state (the checks), through
 * the systems' public APIs. The people retry what a person would retry — a 5xx, a limit, a dropped
 * connection — because the fault rules the suite injects do not know who calls.
 */

const ATTEMPTS = 10;

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function retriable(status: number, text: string): boolean {
  return (
    status === 0 ||
    status >= 500 ||
    status === 429 ||
    (status === 403 && /REQUEST_LIMIT_EXCEEDED|WSSIZELIMIT/.test(text)) ||
    /No Web services accepted|fault injected|Locked record|UNABLE_TO_LOCK_ROW/.test(text)
  );
}

async function call(
  url: string,
  init: RequestInit,
  describe: string,
): Promise<{ status: number; text: string }> {
  let last = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt += 1) {
    let status = 0;
    let text = '';
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(60_000) });
      status = response.status;
      text = await response.text();
    } catch (error) {
      text = (error as Error).message;
    }
    if (status >= 200 && status < 300 && !/"\$severity":"error"/.test(text)) return { status, text };
    last = `HTTP ${status} ${text.slice(0, 300)}`;
    if (!retriable(status, text)) break;
    await sleep(Math.min(300 * attempt, 3_000));
  }
  throw new ApiError(`${describe}: ${last}`, 0);
}

export class ChaosSystems {
  private token?: { value: string; at: number };

  constructor(private readonly world: ChaosWorld) {}

  private get salesforceUrl(): string {
    return this.world.sandbox('salesforce').baseUrl;
  }

  async salesforceToken(): Promise<string> {
    if (this.token && Date.now() - this.token.at < 30 * 60_000) return this.token.value;
    const { text } = await call(
      `${this.salesforceUrl}/services/oauth2/token`,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: LOAD_CREDENTIALS.salesforceClientId,
          client_secret: LOAD_CREDENTIALS.salesforceClientSecret,
        }),
      },
      'Salesforce token',
    );
    const value = (JSON.parse(text) as { access_token: string }).access_token;
    this.token = { value, at: Date.now() };
    return value;
  }

  /** Salesforce REST as a sales rep (another client than pardot-x3's, so CDC keeps the change). */
  async salesforce<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const { status, text } = await call(
      `${this.salesforceUrl}/services/data/v62.0/${path}`,
      {
        method,
        headers: {
          authorization: `Bearer ${await this.salesforceToken()}`,
          'sforce-call-options': `client=${LOAD_SALESFORCE_CLIENT}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      `Salesforce ${method} ${path}`,
    );
    return (status === 204 || text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Every row of a SOQL query (all pages). */
  async soql<T>(query: string): Promise<T[]> {
    const rows: T[] = [];
    let page = await this.salesforce<{ records: T[]; nextRecordsUrl?: string }>(
      'GET',
      `query?q=${encodeURIComponent(query)}`,
    );
    rows.push(...page.records);
    while (page.nextRecordsUrl) {
      const next = page.nextRecordsUrl.replace(/^\/services\/data\/v[\d.]+\//, '');
      page = await this.salesforce('GET', next);
      rows.push(...page.records);
    }
    return rows;
  }

  /** Rows of a SOQL query whose WHERE names many ids, in chunks. */
  async soqlByIds<T>(select: string, ids: readonly string[]): Promise<T[]> {
    const rows: T[] = [];
    for (let i = 0; i < ids.length; i += 150) {
      const chunk = ids.slice(i, i + 150).map((id) => `'${id}'`);
      if (chunk.length > 0) rows.push(...(await this.soql<T>(`${select} WHERE Id IN (${chunk.join(',')})`)));
    }
    return rows;
  }

  /** X3 REST api1 as a person working in X3. */
  async x3<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    const { name, password } = LOAD_CREDENTIALS.x3User;
    const { text } = await call(
      `${this.world.sandbox('x3').baseUrl}/api1/x3/erp/${LOAD_CREDENTIALS.x3Folder}/${path}`,
      {
        method,
        headers: {
          authorization: `Basic ${Buffer.from(`${name}:${password}`).toString('base64')}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      },
      `X3 ${method} ${path}`,
    );
    return JSON.parse(text) as T;
  }

  /** The X3 sandbox's admin API (the warehouse validating a delivery, stock movements); never faulted. */
  x3Admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    return this.world.sandbox('x3').admin<T>(method, path, body);
  }

  /** Every record of an X3 class matching `where`. */
  async x3Query(
    className: string,
    representation: string,
    where?: string,
  ): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let startIndex = 1;
    for (let page = 0; page < 1_000; page += 1) {
      const params = new URLSearchParams({ representation: `${representation}.$query`, count: '1000' });
      if (where) params.set('where', where);
      params.set('orderBy', 'UPDDATTIM asc');
      params.set('startIndex', String(startIndex));
      const result = await this.x3<{ $resources: Record<string, unknown>[] }>(
        'GET',
        `${className}?${params.toString()}`,
      );
      out.push(...result.$resources);
      if (result.$resources.length < 1000) break;
      startIndex += result.$resources.length;
    }
    return out;
  }

  /** Available stock (PHYSTO − PHYALL − GLOALL) per product, summed over the sites. */
  async x3AvailablePerItem(): Promise<Map<string, number>> {
    const perItem = new Map<string, number>();
    for (const r of await this.x3Query('ITMMVT', 'ITMMVT')) {
      const item = String(r['ITMREF']);
      const available = Number(r['PHYSTO']) - Number(r['PHYALL']) - Number(r['GLOALL']);
      perItem.set(item, Math.round(((perItem.get(item) ?? 0) + available) * 100) / 100);
    }
    return perItem;
  }

  /** Every object of a Pardot v5 list (all pages). */
  async pardotList(resource: string, fields: readonly string[]): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    const get = async (
      query: string,
    ): Promise<{ values: Record<string, unknown>[]; nextPageToken?: string | null }> => {
      const { text } = await call(
        `${this.world.sandbox('pardot').baseUrl}/api/v5/${resource}?${query}`,
        {
          headers: {
            authorization: `Bearer ${await this.salesforceToken()}`,
            'pardot-business-unit-id': LOAD_CREDENTIALS.pardotBusinessUnit,
          },
        },
        `Pardot GET ${resource}`,
      );
      return JSON.parse(text) as { values: Record<string, unknown>[]; nextPageToken?: string | null };
    };
    let page = await get(`fields=${fields.join(',')}&limit=1000`);
    out.push(...page.values);
    for (let i = 0; i < 1_000 && page.nextPageToken; i += 1) {
      page = await get(`fields=${fields.join(',')}&nextPageToken=${encodeURIComponent(page.nextPageToken)}`);
      out.push(...page.values);
    }
    return out;
  }
}
