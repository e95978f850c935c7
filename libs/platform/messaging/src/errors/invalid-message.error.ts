import { NonRetriableError } from './non-retriable.error.js';

/**
 * A message that is not a valid event: undecodable bytes, an unknown schema id, a value that breaks
 * its schema, or content a handler rejects as invalid. Never retried: dead-lettered with reason
 * INVALID_MESSAGE, its bytes kept so nothing is lost. Producers get it, instead of sending, for a value
 * that does not match its topic's schema (the message says which fields).
 */
export class InvalidMessageError extends NonRetriableError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidMessageError';
  }
}
