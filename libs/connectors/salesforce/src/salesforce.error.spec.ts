import { describe, expect, it } from 'vitest';
import {
  SalesforceRequestLimitError,
  classifySalesforceError,
  parseSalesforceErrors,
  salesforceErrorFromResponse,
} from './salesforce.error.js';
import { parseSforceLimitInfo } from './sforce-limit-info.js';
import { toRecordResult } from './salesforce-client.js';

describe('salesforceErrorFromResponse', () => {
  it('maps 403 REQUEST_LIMIT_EXCEEDED to a limit error that is not retried', () => {
    const error = salesforceErrorFromResponse('update', 'update Opportunity 0065g00000AbCdEAAZ', 403, [
      { message: 'TotalRequests Limit exceeded.', errorCode: 'REQUEST_LIMIT_EXCEEDED' },
    ]);
    expect(error).toBeInstanceOf(SalesforceRequestLimitError);
    expect(error.kind).toBe('throttled');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'Salesforce rejected update Opportunity 0065g00000AbCdEAAZ: HTTP 403 REQUEST_LIMIT_EXCEEDED TotalRequests Limit exceeded.',
    );
  });

  it('recognises an expired session', () => {
    const error = salesforceErrorFromResponse('query', 'a SOQL query', 401, [
      { message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' },
    ]);
    expect(error.sessionExpired).toBe(true);
    expect(error.kind).toBe('permanent-config');
  });

  it('treats bad data as permanent, a wrong field name as configuration, 5xx / record locks as transient', () => {
    expect(
      salesforceErrorFromResponse('create', 'create Account', 400, [
        { message: 'No such column', errorCode: 'INVALID_FIELD' },
      ]).kind,
    ).toBe('permanent-config');
    expect(
      salesforceErrorFromResponse('update', 'update Contact 003', 400, [
        {
          message: 'data value too large: (max length=80)',
          errorCode: 'STRING_TOO_LONG',
          fields: ['LastName'],
        },
      ]).kind,
    ).toBe('permanent-data');
    expect(salesforceErrorFromResponse('create', 'create Account', 503, 'Service Unavailable').kind).toBe(
      'transient',
    );
    expect(classifySalesforceError(400, 'UNABLE_TO_LOCK_ROW')).toBe('transient');
    expect(
      salesforceErrorFromResponse('retrieve', 'read Account 001', 404, [
        { message: 'The requested resource does not exist', errorCode: 'NOT_FOUND' },
      ]).notFound,
    ).toBe(true);
  });

  it('says that an external id matched several records (HTTP 300)', () => {
    const error = salesforceErrorFromResponse('upsert', 'upsert Account X3_Code__c=C1', 300, [
      '/services/data/v62.0/sobjects/Account/001A',
      '/services/data/v62.0/sobjects/Account/001B',
    ]);
    expect(error.errorCode).toBe('MULTIPLE_CHOICES');
    expect(error.kind).toBe('permanent-data');
  });

  it('reads OAuth error bodies and text bodies', () => {
    expect(
      parseSalesforceErrors({
        error: 'invalid_grant',
        error_description: 'user hasn’t approved this consumer',
      }),
    ).toEqual([
      { errorCode: 'invalid_grant', message: 'user hasn’t approved this consumer', fields: undefined },
    ]);
    expect(parseSalesforceErrors('<html>down</html>', 502)).toEqual([
      { errorCode: 'HTTP_502', message: '<html>down</html>' },
    ]);
  });
});

describe('parseSforceLimitInfo', () => {
  it('reads api-usage, api-bursts and per-app usage', () => {
    expect(
      parseSforceLimitInfo(
        'api-usage=18/5000, api-bursts=1/750, per-app-api-usage=17/250(appName=sample-app)',
      ),
    ).toEqual({
      apiUsage: { used: 18, limit: 5000 },
      apiBursts: { used: 1, limit: 750 },
      perAppApiUsage: { used: 17, limit: 250, appName: 'sample-app' },
    });
    expect(parseSforceLimitInfo('api-usage=3/15000')).toEqual({ apiUsage: { used: 3, limit: 15000 } });
    expect(parseSforceLimitInfo(undefined)).toEqual({});
    expect(parseSforceLimitInfo('garbage')).toEqual({});
  });
});

describe('toRecordResult (sObject Collections)', () => {
  it('normalises per-record results, statusCode included, and marks what is worth another try', () => {
    expect(toRecordResult(0, { id: '003RM0000068xVCYAY', success: true, errors: [] })).toEqual({
      index: 0,
      success: true,
      id: '003RM0000068xVCYAY',
      created: undefined,
      errors: [],
      retryable: false,
    });
    const duplicate = toRecordResult(1, {
      success: false,
      errors: [{ statusCode: 'DUPLICATES_DETECTED', message: 'Use one of these records?', fields: [] }],
    });
    expect(duplicate).toMatchObject({
      index: 1,
      success: false,
      retryable: false,
      errors: [{ errorCode: 'DUPLICATES_DETECTED' }],
    });
    const rolledBack = toRecordResult(2, {
      success: false,
      errors: [
        { statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK', message: 'Record rolled back', fields: [] },
      ],
    });
    expect(rolledBack.retryable).toBe(true);
    expect(
      toRecordResult(3, {
        success: false,
        errors: [{ statusCode: 'UNABLE_TO_LOCK_ROW', message: 'unable to obtain exclusive access' }],
      }).retryable,
    ).toBe(true);
  });
});
