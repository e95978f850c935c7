import 'reflect-metadata';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { AppModule } from '../src/app.module.js';
import { sandboxX3ConfigSchema } from '../src/sandbox-x3.config.js';

export const ADMIN_TOKEN = 'admin-token-for-x3-tests';
export const USER = 'px3';
export const PASSWORD = 'x3-test-password';

export interface X3Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: Record<string, unknown>;
}

/** One X3 sandbox in this test process, on its own port (15300–15349 for the X3 tests). */
export class X3Sandbox {
  private service?: ServiceApp;
  readonly baseUrl: string;

  constructor(
    readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {
    this.baseUrl = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
    this.service = await createServiceApp({
      service: 'sandbox-x3',
      configSchema: sandboxX3ConfigSchema,
      module: (config) => AppModule.register(config),
      // A stand-in of a SaaS API: answers like the real one; its admin API has its own token.
      access: 'none',
      env: {
        PORT: String(this.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
        SANDBOX_SEED: '11',
        X3_USERS: `${USER}:${PASSWORD}`,
        ...this.env,
      },
      logDestination: quiet,
    });
    await this.service.listen();
    return this;
  }

  async stop(): Promise<void> {
    await this.service?.nest.close();
  }

  admin(method: string, path: string, body?: unknown): Promise<X3Reply> {
    return this.send(method, path, body, { 'x-admin-token': ADMIN_TOKEN });
  }

  /** A Web API call on folder SEED, e.g. api('GET', "BPCUSTOMER('C00001')?representation=BPCUSTOMER.$details"). */
  api(
    method: string,
    resource: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<X3Reply> {
    const auth = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
    return this.send(method, `/api1/x3/erp/SEED/${resource}`, body, { authorization: auth, ...headers });
  }

  async send(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<X3Reply> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: Record<string, unknown> = {};
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
    } catch {
      json = {};
    }
    return { status: res.status, headers: res.headers, text, json };
  }
}

/** The messages of a reply's $diagnoses. */
export function messages(reply: X3Reply): string[] {
  return ((reply.json['$diagnoses'] ?? []) as { $message: string }[]).map((d) => d.$message);
}

/** Polls until `probe` returns a value other than undefined/false (for asynchronous webhook deliveries). */
export async function eventually<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}
