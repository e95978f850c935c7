import {
  KafkaJSConnectionError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} from 'kafkajs';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import {
  backoffDelayMs,
  classifyFailure,
  classifyPardotResponse,
  classifySalesforceResponse,
  classifyX3Response,
  isPermanent,
  type FailureKind,
} from './index.js';

function pgError(code: string, message: string): Error {
  const error = new pg.DatabaseError(message, 0, 'error');
  Object.assign(error, { code, severity: 'ERROR', routine: 'report_invalid_encoding' });
  return error;
}

/** What the broker answered, as KafkaJS builds its protocol errors (typed as Error in its d.ts). */
function brokerError(type: string, code: number, retriable: boolean): Error {
  return { type, code, retriable, message: type.toLowerCase() } as unknown as Error;
}

function typeormQueryFailed(driverError: Error): Error {
  // TypeORM's QueryFailedError: its own message, the driver's error as driverError.
  return Object.assign(new Error(driverError.message), { name: 'QueryFailedError', driverError });
}

describe('classifyFailure: errors the services really catch', () => {
  const cases: [string, unknown, FailureKind][] = [
    // Kafka: the broker outage of the issue — ECONNREFUSED, retries used up, `retriable: false`.
    [
      'KafkaJS retries exceeded around ECONNREFUSED (retriable: false)',
      new KafkaJSNumberOfRetriesExceeded(
        new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092'),
        { retryCount: 5, retryTime: 3_000 },
      ),
      'transient',
    ],
    [
      'KafkaJSNonRetriableError wrapping a connection error',
      new KafkaJSNonRetriableError(new KafkaJSConnectionError('Connection timeout')),
      'transient',
    ],
    [
      'KafkaJS request timeout',
      new KafkaJSRequestTimeoutError('Request Produce(key: 0, version: 7) timed out'),
      'transient',
    ],
    [
      'not leader for partition',
      new KafkaJSProtocolError(brokerError('NOT_LEADER_OR_FOLLOWER', 6, true)),
      'transient',
    ],
    [
      'message too large (the record itself)',
      new KafkaJSProtocolError(brokerError('MESSAGE_TOO_LARGE', 10, false)),
      'permanent-data',
    ],
    [
      'topic authorization failed',
      new KafkaJSProtocolError(brokerError('TOPIC_AUTHORIZATION_FAILED', 29, false)),
      'permanent-config',
    ],
    // PostgreSQL
    [
      'a NUL byte in a text value (22021)',
      typeormQueryFailed(pgError('22021', 'invalid byte sequence for encoding "UTF8": 0x00')),
      'permanent-data',
    ],
    [
      'value too long (22001)',
      pgError('22001', 'value too long for type character varying(80)'),
      'permanent-data',
    ],
    ['deadlock (40P01)', typeormQueryFailed(pgError('40P01', 'deadlock detected')), 'transient'],
    [
      'server shutting down (57P01)',
      pgError('57P01', 'terminating connection due to administrator command'),
      'transient',
    ],
    ['unique race (23505)', pgError('23505', 'duplicate key value violates unique constraint'), 'transient'],
    [
      'not-null violation (23502)',
      pgError('23502', 'null value in column "email" violates not-null constraint'),
      'permanent-data',
    ],
    [
      'missing table (42P01)',
      pgError('42P01', 'relation "golden_customer" does not exist'),
      'permanent-config',
    ],
    ['pool lost its connection', new Error('Connection terminated unexpectedly'), 'transient'],
    ['pool connect timeout', new Error('timeout exceeded when trying to connect'), 'transient'],
    // Network (axios/undici/fetch)
    ['axios ECONNRESET', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'transient'],
    [
      'fetch failed with ECONNREFUSED cause',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      }),
      'transient',
    ],
    [
      'aborted by a timeout signal',
      Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' }),
      'transient',
    ],
    // Errors that carry their own verdict
    [
      'connector error (throttled, retry after 1 s)',
      Object.assign(new Error('Pardot 66'), { failureKind: 'throttled', retryAfterMs: 1_000 }),
      'throttled',
    ],
    [
      'non-retriable domain error (retriable: false)',
      Object.assign(new Error('no line items'), { retriable: false }),
      'permanent-data',
    ],
    [
      'invalid message',
      Object.assign(new Error('bad bytes'), { name: 'InvalidMessageError' }),
      'permanent-data',
    ],
    // Handler defects and odd throws: never crash, never retried for minutes
    [
      'TypeError from a handler',
      new TypeError("Cannot read properties of undefined (reading 'x')"),
      'permanent-data',
    ],
    ['a string thrown', 'boom', 'permanent-data'],
    ['undefined thrown', undefined, 'permanent-data'],
    ['a number thrown', 42, 'permanent-data'],
    ['an unknown Error', new Error('something odd'), 'transient'],
    [
      'registry unreachable',
      Object.assign(new Error('registry down'), { name: 'SchemaRegistryUnavailableError' }),
      'transient',
    ],
  ];

  it.each(cases)('%s → %s', (_label, error, kind) => {
    const verdict = classifyFailure(error);
    expect(verdict.kind).toBe(kind);
    expect(verdict.rule.length).toBeGreaterThan(0);
  });

  it('keeps the wait an error asked for', () => {
    expect(
      classifyFailure(Object.assign(new Error('x'), { failureKind: 'throttled', retryAfterMs: 1_500 })),
    ).toMatchObject({
      kind: 'throttled',
      retryAfterMs: 1_500,
    });
  });

  it('never throws, whatever was thrown', () => {
    const weird: unknown[] = [
      Symbol('s'),
      () => 1,
      Object.create(null),
      { name: 5, code: {} },
      new Proxy({}, {}),
    ];
    for (const value of weird) expect(() => classifyFailure(value)).not.toThrow();
    const selfCause: { cause?: unknown; message: string } = { message: 'loop' };
    selfCause.cause = selfCause;
    expect(classifyFailure(selfCause).kind).toBe('transient');
  });
});

describe('classifyPardotResponse (apis.md §2.4)', () => {
  const cases: [number | undefined, number | undefined, FailureKind][] = [
    [503, 183, 'transient'], // "please try again" carries a code: still transient
    [500, undefined, 'transient'],
    [502, undefined, 'transient'],
    [429, undefined, 'transient'],
    [400, 66, 'throttled'],
    [429, 66, 'throttled'],
    [400, 122, 'throttled'],
    [401, 184, 'permanent-config'],
    [401, undefined, 'permanent-config'],
    [400, 1, 'permanent-config'],
    [403, 46, 'permanent-config'],
    [400, 154, 'permanent-config'],
    [400, 4, 'permanent-data'],
    [400, 166, 'permanent-data'], // a value longer than the field allows
    [404, 3, 'permanent-data'],
    [405, 60, 'permanent-data'],
    [409, 62, 'transient'],
    [undefined, undefined, 'transient'],
  ];
  it.each(cases)('HTTP %s, error %s → %s', (status, code, kind) => {
    expect(classifyPardotResponse(status, code).kind).toBe(kind);
  });
  it('asks for a pause on 66', () => {
    expect(classifyPardotResponse(400, 66).retryAfterMs).toBeGreaterThanOrEqual(1_000);
  });
});

describe('classifySalesforceResponse (apis.md §1.3, §1.9)', () => {
  const cases: [number | undefined, string, string, FailureKind][] = [
    [403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.', 'throttled'],
    [403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded.', 'throttled'],
    [400, 'UNABLE_TO_LOCK_ROW', 'unable to obtain exclusive access to this record', 'transient'],
    [503, 'SERVER_UNAVAILABLE', 'Server too busy', 'transient'],
    [500, 'UNKNOWN_EXCEPTION', 'An unexpected error occurred', 'transient'],
    [503, 'HTTP_503', '<html>Service Unavailable</html>', 'transient'],
    [400, 'QUERY_TIMEOUT', 'Your query request was running for too long.', 'transient'],
    [undefined, 'ALL_OR_NONE_OPERATION_ROLLED_BACK', 'Record rolled back', 'transient'],
    [
      400,
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      'MyTrigger: execution of AfterUpdate caused by: System.DmlException: UNABLE_TO_LOCK_ROW',
      'transient',
    ],
    [
      400,
      'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY',
      'MyTrigger: caused by: FIELD_CUSTOM_VALIDATION_EXCEPTION',
      'permanent-data',
    ],
    [401, 'INVALID_SESSION_ID', 'Session expired or invalid', 'permanent-config'],
    [400, 'INVALID_FIELD', "No such column 'Foo__c' on sobject of type Contact", 'permanent-config'],
    [403, 'INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id', 'permanent-config'],
    [400, 'invalid_grant', 'authentication failure', 'permanent-config'],
    [400, 'STRING_TOO_LONG', 'data value too large: (max length=80)', 'permanent-data'],
    [400, 'DUPLICATES_DETECTED', 'Use one of these records?', 'permanent-data'],
    [400, 'FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Phone must have 10 digits', 'permanent-data'],
    [404, 'NOT_FOUND', 'The requested resource does not exist', 'permanent-data'],
    [undefined, 'TXN_SECURITY_NO_ACCESS', 'blocked', 'permanent-config'],
  ];
  it.each(cases)('HTTP %s %s (%s) → %s', (status, code, message, kind) => {
    expect(classifySalesforceResponse(status, code, message).kind).toBe(kind);
  });
});

describe('classifyX3Response (apis.md §3.5, §3.7)', () => {
  const cases: [number | undefined, string[], FailureKind][] = [
    [500, ['No Web services accepted'], 'throttled'],
    [503, [], 'transient'],
    [400, ['Locked record'], 'throttled'],
    [200, ['Change In Progress on another workstation'], 'throttled'],
    [400, ['Modification en cours sur un autre poste'], 'throttled'],
    [401, [], 'permanent-config'],
    [403, ['Access denied'], 'permanent-config'],
    [400, ['ITMREF : Record does not exist'], 'permanent-data'],
    [400, ['Insufficient stock for product BMS001'], 'permanent-data'],
    [404, [], 'permanent-config'],
    [undefined, [], 'transient'],
  ];
  it.each(cases)('HTTP %s %j → %s', (status, messages, kind) => {
    expect(classifyX3Response(status, messages).kind).toBe(kind);
  });
});

describe('backoff', () => {
  it('is full jitter below a doubling ceiling, with the asked-for wait as a floor', () => {
    const policy = { baseDelayMs: 200, maxDelayMs: 10_000 };
    expect(backoffDelayMs(1, policy, 0, () => 1)).toBe(200);
    expect(backoffDelayMs(4, policy, 0, () => 1)).toBe(1_600);
    expect(backoffDelayMs(20, policy, 0, () => 1)).toBe(10_000);
    expect(backoffDelayMs(3, policy, 5_000, () => 0)).toBe(5_000);
  });
  it('permanent kinds are permanent', () => {
    expect(isPermanent('permanent-data')).toBe(true);
    expect(isPermanent('permanent-config')).toBe(true);
    expect(isPermanent('throttled')).toBe(false);
  });
});
