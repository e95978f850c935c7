/** The schema registry did not answer (network, 5xx): a transient failure, retried, never dead-lettered. */
export class SchemaRegistryUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaRegistryUnavailableError';
  }
}
