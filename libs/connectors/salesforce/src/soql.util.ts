/** Builders for the few SOQL fragments the connector writes; values are escaped, names are checked. */

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*(\.[A-Za-z][A-Za-z0-9_]*)*$/;
const RECORD_ID = /^[A-Za-z0-9]{15}([A-Za-z0-9]{3})?$/;

/** Checks an object or field API name (`Account`, `X3_Code__c`, `Product2.ProductCode`) so it cannot inject SOQL. */
export function soqlName(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a valid Salesforce object or field name`);
  return name;
}

/** A field list for SELECT, names checked, duplicates removed (case-insensitively), order kept. */
export function soqlFieldList(fields: readonly string[]): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const field of fields) {
    const key = soqlName(field).toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(field);
    }
  }
  if (out.length === 0) throw new Error('a SOQL query needs at least one field');
  return out.join(', ');
}

/** A quoted SOQL string literal: backslash and single quote escaped, as the SOQL reference requires. */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** A Salesforce record id (15 or 18 characters) as a SOQL literal; anything else is refused. */
export function soqlId(id: string): string {
  if (!RECORD_ID.test(id)) throw new Error(`"${id}" is not a Salesforce record id`);
  return `'${id}'`;
}

/** A SOQL dateTime literal in UTC, whole seconds (`2026-11-26T10:15:00Z`); sub-second parts are cut (floor). */
export function soqlDateTime(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error('invalid date in a SOQL query');
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
