/** A record a source delivered that cannot become a source event (no key, no change time); `problems` say why. */
export class InvalidSourceRecordError extends Error {
  /** Nothing another attempt could fix. */
  readonly retriable = false;

  constructor(
    readonly what: string,
    readonly problems: readonly string[],
  ) {
    super(`${what} record cannot be ingested: ${problems.join('; ')}`);
    this.name = 'InvalidSourceRecordError';
  }
}
