/** The Nest application could not be created (e.g. a provider cannot be resolved); already logged as fatal. */
export class ServiceStartError extends Error {
  constructor(service: string, cause: unknown) {
    super(`${service} could not start: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'ServiceStartError';
  }
}
