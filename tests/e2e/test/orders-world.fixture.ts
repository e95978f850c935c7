import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRepositoryRoot } from '@pardot-x3/local-stack';
import { SalesforceClient } from '@pardot-x3/salesforce-connector';
import { Registry } from 'prom-client';
import { SALESFORCE_CLIENT, type CustomerFlowWorld } from './customer-flow.fixture.js';

/**
 * Helpers of the order, activity, inventory and engagement end-to-end tests, on top of the pipeline
 * world (customer-flow.fixture.ts): people working in Salesforce and X3, and an e-commerce stand-in.
 */

/** The Salesforce client of a sales rep: another Sforce-Call-Options client than pardot-x3's, so CDC does not drop the change. */
export function salesRep(world: CustomerFlowWorld): SalesforceClient {
  return SalesforceClient.fromConfig(
    {
      SALESFORCE_LOGIN_URL: world.salesforce.baseUrl,
      SALESFORCE_API_VERSION: '62.0',
      SALESFORCE_CLIENT_ID: SALESFORCE_CLIENT.id,
      SALESFORCE_CLIENT_SECRET: SALESFORCE_CLIENT.secret,
      SALESFORCE_CALL_CLIENT_ID: 'e2e-sales-rep',
      SALESFORCE_TIMEOUT_MS: 30_000,
    },
    { registry: new Registry() },
  );
}

interface X3Page {
  readonly $resources: Record<string, unknown>[];
}

/** Every record of an X3 class matching `where` (the sandbox's REST API, as a person working in X3). */
export async function x3Query(
  world: CustomerFlowWorld,
  className: string,
  representation: string,
  where?: string,
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  let startIndex = 1;
  for (;;) {
    const params = new URLSearchParams({ representation: `${representation}.$query`, count: '1000' });
    if (where) params.set('where', where);
    params.set('orderBy', className === 'ITMMVT' ? 'ITMREF asc' : 'UPDDATTIM asc');
    params.set('startIndex', String(startIndex));
    const page = await world.x3Api<X3Page>('GET', `${className}?${params.toString()}`);
    out.push(...page.$resources);
    if (page.$resources.length < 1000) return out;
    startIndex += page.$resources.length;
  }
}

/** Available stock (PHYSTO − PHYALL − GLOALL) of every product at every site, from X3. */
export async function x3Stock(world: CustomerFlowWorld): Promise<Map<string, number>> {
  const rows = await x3Query(world, 'ITMMVT', 'ITMMVT');
  return new Map(
    rows.map((r) => [
      `${String(r['ITMREF'])}:${String(r['STOFCY'])}`,
      Number(r['PHYSTO']) - Number(r['PHYALL']) - Number(r['GLOALL']),
    ]),
  );
}

/** A copy of config/ whose inventory policy debounces over seconds instead of minutes. */
export function configWithQuickStockPolicy(minInterval = '2s', maxStaleness = '5s'): string {
  const dir = mkdtempSync(join(tmpdir(), 'px3-e2e-config-'));
  cpSync(join(findRepositoryRoot(), 'config'), dir, { recursive: true });
  writeFileSync(
    join(dir, 'inventory.yaml'),
    [
      'version: 1',
      'available:',
      '  subtract: [PHYALL, GLOALL]',
      'publication:',
      '  absoluteThreshold: 5',
      '  relativeThreshold: 0.1',
      '  lowStockMark: 10',
      `  minInterval: ${minInterval}`,
      `  maxStaleness: ${maxStaleness}`,
      '',
    ].join('\n'),
  );
  return dir;
}

/** What the e-commerce stand-in received: headers and the exact bytes. */
export interface ReceivedCall {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}

/** An e-commerce site receiving the stock webhook. */
export class StockWebhookReceiver {
  readonly calls: ReceivedCall[] = [];

  private constructor(private readonly server: Server) {}

  static async start(port: number): Promise<StockWebhookReceiver> {
    const holder: { receiver?: StockWebhookReceiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        holder.receiver?.calls.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(204).end();
      });
    });
    holder.receiver = new StockWebhookReceiver(server);
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return holder.receiver;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
