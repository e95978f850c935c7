/** One entry of Salesforce's REST error body: `[{"message","errorCode","fields"?}]`. */
export interface SalesforceErrorBody {
  readonly message: string;
  readonly errorCode: string;
  readonly fields?: readonly string[];
}

/**
 * An error in Salesforce's REST dialect. The exception filter renders it as a JSON array with the
 * HTTP status; inside sObject Collections results the same error becomes `{statusCode, message, fields}`.
 */
export class SalesforceApiError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
    readonly fields?: readonly string[],
  ) {
    super(message);
    this.name = 'SalesforceApiError';
  }

  toBody(): SalesforceErrorBody[] {
    return [
      { message: this.message, errorCode: this.errorCode, ...(this.fields ? { fields: this.fields } : {}) },
    ];
  }

  /** The per-record form used inside sObject Collections results. */
  toRecordError(): { statusCode: string; message: string; fields: readonly string[] } {
    return { statusCode: this.errorCode, message: this.message, fields: this.fields ?? [] };
  }

  static notFound(message = 'The requested resource does not exist'): SalesforceApiError {
    return new SalesforceApiError(404, 'NOT_FOUND', message);
  }

  static invalidSession(): SalesforceApiError {
    return new SalesforceApiError(401, 'INVALID_SESSION_ID', 'Session expired or invalid');
  }

  static requestLimitExceeded(): SalesforceApiError {
    return new SalesforceApiError(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.');
  }

  static entityIsDeleted(): SalesforceApiError {
    return new SalesforceApiError(404, 'ENTITY_IS_DELETED', 'entity is deleted');
  }

  static jsonParser(message: string): SalesforceApiError {
    return new SalesforceApiError(400, 'JSON_PARSER_ERROR', message);
  }
}
