import { SalesforceApiError } from '../errors/salesforce-api.error.js';

/**
 * A SOQL error in Salesforce's shape: the offending line, a caret under the column, then
 * `ERROR at Row:r:Column:c` and the reason. errorCode is MALFORMED_QUERY (syntax), INVALID_FIELD,
 * INVALID_TYPE or INVALID_QUERY_FILTER_OPERATOR.
 */
export function soqlError(errorCode: string, soql: string, pos: number, reason: string): SalesforceApiError {
  const before = soql.slice(0, Math.max(0, Math.min(pos, soql.length)));
  const row = before.split('\n').length;
  const lineStart = before.lastIndexOf('\n') + 1;
  const column = pos - lineStart + 1;
  const lineEnd = soql.indexOf('\n', lineStart);
  const line = soql.slice(lineStart, lineEnd === -1 ? undefined : lineEnd);
  const caret = `${' '.repeat(Math.max(0, column - 1))}^`;
  return new SalesforceApiError(
    400,
    errorCode,
    `\n${line}\n${caret}\nERROR at Row:${row}:Column:${column}\n${reason}`,
  );
}
