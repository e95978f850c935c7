import { createServer } from 'node:net';
import jsforce from 'jsforce';
import {
  startSandboxSalesforce,
  type RunningSandboxSalesforce,
} from '../src/start-sandbox-salesforce.util.js';

/** Test HTTP servers live in 14100–14199 (the range reserved for this sandbox's tests). */
const FIRST_PORT = 14100;
const LAST_PORT = 14199;
export const ADMIN_TOKEN = 'test-admin-token';
export const CONSUMER_KEY = 'TestConsumerKey';
export const CONSUMER_SECRET = 'test-consumer-secret';
export const USERNAME = 'integration@pardot-x3.test';
export const API_VERSION = '60.0';

export interface TestSandbox extends RunningSandboxSalesforce {
  /** A fresh access token from the client credentials flow. */
  token(): Promise<string>;
  /** A jsforce connection, unchanged, pointed at the sandbox; `client` goes in Sforce-Call-Options. */
  connection(options?: { client?: string; version?: string }): Promise<jsforce.Connection>;
  admin(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** Starts the sandbox in this process on a free port of the test range. */
export async function startTestSandbox(env: Record<string, string> = {}): Promise<TestSandbox> {
  let running: RunningSandboxSalesforce | undefined;
  let lastError: unknown;
  for (let port = FIRST_PORT + Math.floor(Math.random() * 50); port <= LAST_PORT && !running; port += 1) {
    if (!(await portIsFree(port))) continue;
    try {
      running = await startSandboxSalesforce({
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'fatal',
        SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
        SF_CONSUMER_KEY: CONSUMER_KEY,
        SF_CONSUMER_SECRET: CONSUMER_SECRET,
        SF_USERNAME: USERNAME,
        SANDBOX_SEED_COUNTS:
          '{"companies":5,"contacts":10,"leads":5,"products":6,"opportunities":3,"visitorActivities":0}',
        ...env,
      });
    } catch (error) {
      // Another test file took the port between the probe and the listen: try the next one.
      if (!String(error).includes('EADDRINUSE')) throw error;
      lastError = error;
    }
  }
  if (!running)
    throw new Error(`no free port in ${FIRST_PORT}-${LAST_PORT} for the sandbox: ${String(lastError)}`);
  const sandbox = running;
  const token = async (): Promise<string> => {
    const res = await fetch(`${sandbox.url}/services/oauth2/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: CONSUMER_KEY,
        client_secret: CONSUMER_SECRET,
      }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
    return body.access_token;
  };
  return {
    ...sandbox,
    token,
    async connection(options = {}) {
      return new jsforce.Connection({
        instanceUrl: sandbox.url,
        accessToken: await token(),
        version: options.version ?? API_VERSION,
        ...(options.client ? { callOptions: { client: options.client } } : {}),
      });
    },
    async admin(method, path, body) {
      const res = await fetch(`${sandbox.url}/__admin${path}`, {
        method,
        headers: {
          'X-Admin-Token': ADMIN_TOKEN,
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    },
  };
}
