import type { RetryPolicy } from '@pardot-x3/failure-policy';
import { ServiceProcess } from '@pardot-x3/testing';
import { Registry } from 'prom-client';
import { SalesforceAuth, SalesforceClient } from '../src/index.js';

/** The Salesforce sandbox on this engineer's test port, started as its own process (build it first). */
export const SANDBOX_PORT = 19100;
export const SANDBOX_URL = `http://127.0.0.1:${SANDBOX_PORT}`;
export const ADMIN_TOKEN = 'connector-tests-admin-token';
export const CONSUMER_KEY = 'PX3ConnectorTestsKey';
export const CONSUMER_SECRET = 'connector-tests-consumer-secret';

export function startSalesforceSandbox(): Promise<ServiceProcess> {
  return new ServiceProcess({
    app: 'sandbox-salesforce',
    env: {
      PORT: String(SANDBOX_PORT),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
      SANDBOX_TOKEN_SECRET: 'connector-tests-token-secret',
      SF_CONSUMER_KEY: CONSUMER_KEY,
      SF_CONSUMER_SECRET: CONSUMER_SECRET,
    },
    readyUrl: `${SANDBOX_URL}/health/ready`,
    logName: 'connectors-sandbox-salesforce.log',
  }).start();
}

/** Calls the sandbox's admin API (test control only: seed, faults, limits, change events). */
export async function admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${SANDBOX_URL}/__admin${path}`, {
    method,
    headers: {
      'x-admin-token': ADMIN_TOKEN,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok)
    throw new Error(`admin ${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (response.status === 204 ? undefined : await response.json()) as T;
}

/** A client as a service would build it (client credentials), with its own metrics registry. */
export function sandboxClient(
  callClientId = 'pardot-x3-test',
  registry = new Registry(),
  retry: RetryPolicy = { maxAttempts: 5, baseDelayMs: 50, maxDelayMs: 500 },
): { client: SalesforceClient; registry: Registry } {
  const auth = new SalesforceAuth({
    loginUrl: SANDBOX_URL,
    credentials: { flow: 'client-credentials', clientId: CONSUMER_KEY, clientSecret: CONSUMER_SECRET },
    registry,
  });
  const client = new SalesforceClient({
    auth,
    apiVersion: '62.0',
    callClientId,
    registry,
    retry,
  });
  return { client, registry };
}

/** The value of one sample of a metric in a registry, or undefined. */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Record<string, string>,
): Promise<number | undefined> {
  const metric = (await registry.getMetricsAsJSON()).find((m) => m.name === name);
  const sample = (metric?.values ?? []).find((v) =>
    Object.entries(labels).every(([k, val]) => v.labels[k] === val),
  );
  return sample?.value;
}
