import 'reflect-metadata';
import { Writable } from 'node:stream';
import { createServiceApp, type ServiceApp } from '@pardot-x3/service-runtime';
import { AppModule } from '../src/app.module.js';
import { sandboxPardotConfigSchema } from '../src/sandbox-pardot.config.js';

export const ADMIN_TOKEN = 'admin-token-for-pardot-tests';
export const BUSINESS_UNIT = '0Uv5g000000PX3AAAA';

export interface PardotCall {
  readonly body?: unknown;
  /** Sent as application/x-www-form-urlencoded instead of JSON. */
  readonly form?: Record<string, string>;
  /** Raw body text (with content type `contentType`, default application/json). */
  readonly raw?: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
  /** false: no Authorization header; a string: that token. Default: a valid token. */
  readonly token?: string | false;
  /** false: no Pardot-Business-Unit-Id header; a string: that value. Default: the sandbox's BU. */
  readonly businessUnit?: string | false;
}

export interface PardotReply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** Parsed JSON body (undefined when the body is empty or not JSON). */
  readonly json: unknown;
}

/** One Pardot sandbox in this test process, on its own port (15200–15249 for the Pardot tests). */
export class PardotSandbox {
  private service?: ServiceApp;
  private defaultToken = '';
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
      service: 'sandbox-pardot',
      configSchema: sandboxPardotConfigSchema,
      module: (config) => AppModule.register(config),
      // A stand-in of a SaaS API: answers like the real one; its admin API has its own token.
      access: 'none',
      env: {
        PORT: String(this.port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'error',
        SANDBOX_ADMIN_TOKEN: ADMIN_TOKEN,
        SANDBOX_SEED: '7',
        ...this.env,
      },
      logDestination: quiet,
    });
    await this.service.listen();
    this.defaultToken = await this.token();
    return this;
  }

  async stop(): Promise<void> {
    await this.service?.nest.close();
  }

  /** A fresh access token from the admin API. */
  async token(options: { scopes?: string[]; ttlSeconds?: number; clientId?: string } = {}): Promise<string> {
    const reply = await this.admin('POST', '/__admin/pardot/access-tokens', {
      clientId: 'pardot-tests',
      ...options,
    });
    return (reply.json as { access_token: string }).access_token;
  }

  async admin(method: string, path: string, body?: unknown): Promise<PardotReply> {
    return this.send(method, path, {
      body,
      token: false,
      businessUnit: false,
      headers: { 'x-admin-token': ADMIN_TOKEN },
    });
  }

  /** A Pardot API call, authenticated by default. */
  async call(method: string, path: string, call: PardotCall = {}): Promise<PardotReply> {
    return this.send(method, path, call);
  }

  private async send(method: string, path: string, call: PardotCall): Promise<PardotReply> {
    const headers: Record<string, string> = { ...call.headers };
    const token = call.token === undefined ? this.defaultToken : call.token;
    if (token) headers['authorization'] = `Bearer ${token}`;
    const bu = call.businessUnit === undefined ? BUSINESS_UNIT : call.businessUnit;
    if (bu) headers['pardot-business-unit-id'] = bu;
    let body: string | undefined;
    if (call.raw !== undefined) {
      body = call.raw;
      headers['content-type'] = call.contentType ?? 'application/json';
    } else if (call.form) {
      body = new URLSearchParams(call.form).toString();
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (call.body !== undefined) {
      body = JSON.stringify(call.body);
      headers['content-type'] = call.contentType ?? 'application/json';
    }
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json };
  }
}

/** The `values` of a v5 query answer. */
export function values(reply: PardotReply): Record<string, unknown>[] {
  return (reply.json as { values: Record<string, unknown>[] }).values;
}
