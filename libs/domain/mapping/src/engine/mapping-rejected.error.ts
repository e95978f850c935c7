import type { RejectedResult } from './mapping-result.types.js';

/**
 * A record that its template cannot map (invalid email, unknown country, text where a number belongs …).
 * Thrown by callers that route failures to a dead-letter topic; the message names every field and problem.
 */
export class MappingRejectedError extends Error {
  readonly result: RejectedResult;

  constructor(result: RejectedResult) {
    const subject = result.recordId ? ` record ${result.recordId}` : ' a record';
    super(
      `${result.templateId} rejected${subject}: ${result.problems.map((problem) => problem.message).join('; ')}`,
    );
    this.name = 'MappingRejectedError';
    this.result = result;
  }
}
