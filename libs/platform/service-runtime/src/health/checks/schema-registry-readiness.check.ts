import type { HttpServerConfig, SchemaRegistryConfig } from '@pardot-x3/config';
import type { ReadinessCheck } from '../readiness-check.types.js';

/** "Schema registry reachable": `GET <SCHEMA_REGISTRY_URL>/subjects` answers 200 within READINESS_CHECK_TIMEOUT_MS (basic auth when configured). */
export class SchemaRegistryReadinessCheck implements ReadinessCheck {
  readonly name = 'schema-registry';
  private readonly subjectsUrl: string;
  private readonly headers: Record<string, string>;
  private readonly timeoutMs: number;

  constructor(config: SchemaRegistryConfig & Partial<Pick<HttpServerConfig, 'READINESS_CHECK_TIMEOUT_MS'>>) {
    this.subjectsUrl = `${config.SCHEMA_REGISTRY_URL.replace(/\/+$/, '')}/subjects`;
    this.timeoutMs = config.READINESS_CHECK_TIMEOUT_MS ?? 2_000;
    this.headers = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
    if (config.SCHEMA_REGISTRY_USERNAME !== undefined) {
      const credentials = `${config.SCHEMA_REGISTRY_USERNAME}:${config.SCHEMA_REGISTRY_PASSWORD ?? ''}`;
      this.headers['authorization'] = `Basic ${Buffer.from(credentials).toString('base64')}`;
    }
  }

  async check(): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.subjectsUrl, {
        headers: this.headers,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new Error(
        `schema registry at ${this.subjectsUrl} is not reachable: ${describeFetchError(error)}`,
      );
    }
    // Drain the body so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) {
      throw new Error(
        `schema registry at ${this.subjectsUrl} answered HTTP ${response.status} ${response.statusText}`.trimEnd(),
      );
    }
  }
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch wraps the socket error ("fetch failed"); its cause says what happened (ECONNREFUSED, ...).
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
