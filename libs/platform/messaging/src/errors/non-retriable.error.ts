/**
 * A failure that another attempt cannot fix (a business rule refuses the event, a referenced record
 * can never exist): the consumer runner skips its retries and parks the message in the group's
 * dead-letter topic at once. Any error with `retriable === false` is treated the same way, so domain
 * code need not import this class.
 */
export class NonRetriableError extends Error {
  readonly retriable = false;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetriableError';
  }
}
