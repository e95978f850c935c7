import { ServiceProcess } from '@pardot-x3/testing';

export type SandboxSystem = 'salesforce' | 'pardot' | 'x3';

/** Admin token every sandbox of a test is started with. */
export const TEST_SANDBOX_ADMIN_TOKEN = 'flow-tests-admin-token';

/**
 * One sandbox (apps/sandbox-<system>, built) as its own process on a port of the test's range, with its
 * admin API at hand (`/__admin`, X-Admin-Token). Stop it in afterAll.
 */
export class SandboxProcess {
  private constructor(
    readonly system: SandboxSystem,
    readonly baseUrl: string,
    private readonly process: ServiceProcess,
  ) {}

  static async start(
    system: SandboxSystem,
    port: number,
    env: Record<string, string> = {},
    logName?: string,
  ): Promise<SandboxProcess> {
    const process = await new ServiceProcess({
      app: `sandbox-${system}`,
      logName: logName ?? `sandbox-${system}-${port}.log`,
      env: {
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        SANDBOX_ADMIN_TOKEN: TEST_SANDBOX_ADMIN_TOKEN,
        ...(system === 'salesforce' ? { SANDBOX_PUBLIC_URL: `http://127.0.0.1:${port}` } : {}),
        ...env,
      },
    }).start();
    return new SandboxProcess(system, `http://127.0.0.1:${port}`, process);
  }

  /** Calls the admin API; throws with the answer when it is not 2xx. */
  async admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}/__admin${path}`, {
      method,
      headers: {
        'x-admin-token': TEST_SANDBOX_ADMIN_TOKEN,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok)
      throw new Error(
        `${this.system} sandbox: ${method} /__admin${path} → HTTP ${response.status} ${await response.text()}`,
      );
    return (response.status === 204 ? undefined : await response.json()) as T;
  }

  /** Writes the sandbox received (its ledger), optionally those whose route matches a glob. */
  async ledger(route?: string): Promise<LedgerEntry[]> {
    const entries: LedgerEntry[] = [];
    let since = 0;
    for (;;) {
      const query = new URLSearchParams({ since: String(since), limit: '1000', ...(route ? { route } : {}) });
      const page = await this.admin<{ entries: LedgerEntry[]; lastSeq: number }>(
        'GET',
        `/ledger?${query.toString()}`,
      );
      entries.push(...page.entries);
      const last = page.entries.at(-1);
      if (!last || page.entries.length < 1000) return entries;
      since = last.seq;
    }
  }

  get logFile(): string {
    return this.process.logFile;
  }

  async stop(): Promise<void> {
    await this.process.stop();
  }
}

/** One write a sandbox received (docs/sandboxes.md, "Write ledger"). */
export interface LedgerEntry {
  readonly seq: number;
  readonly at: string;
  readonly system: string;
  readonly method: string;
  readonly path: string;
  readonly route: string;
  readonly status: number;
  readonly requestBody?: unknown;
  readonly responseSummary?: string;
  readonly clientId?: string;
}
