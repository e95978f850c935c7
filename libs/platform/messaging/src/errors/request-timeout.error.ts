/**
 * No reply arrived in time. The request stays in Kafka and may still be processed; its reply then
 * arrives on the reply topic like any event, so a requester that timed out can act on it later.
 */
export class RequestTimeoutError extends Error {
  readonly requestTopic: string;
  readonly requestEventId: string;
  readonly timeoutMs: number;

  constructor(requestTopic: string, requestEventId: string, timeoutMs: number) {
    super(`No reply to ${requestTopic} request ${requestEventId} within ${timeoutMs} ms`);
    this.name = 'RequestTimeoutError';
    this.requestTopic = requestTopic;
    this.requestEventId = requestEventId;
    this.timeoutMs = timeoutMs;
  }
}
