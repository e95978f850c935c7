import { classified, type FailureClassification } from './failure-kind.js';
import { causeChain } from './network-failures.js';

/** SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) that pass when tried again. */
const TRANSIENT_SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '57014', // query_canceled (statement timeout)
  '25P02', // in_failed_sql_transaction (after a transient failure in the same transaction)
  '23505', // unique_violation: two writers racing for one key; the next attempt sees the winner's row
  'XX000', // internal_error
]);

/** SQLSTATE classes that pass when tried again: connection exceptions, insufficient resources, system errors. */
const TRANSIENT_CLASSES = new Set(['08', '53', '58']);

/** Classes that mean the statement or the schema is wrong: fix the code or run the migrations. */
const CONFIG_CLASSES = new Set(['42', '0A', '28', '3D', '3F', '2B']);

/** Message texts of the pg client when the server or the pool went away (no SQLSTATE). */
const CONNECTION_LOST =
  /Connection terminated|terminating connection|timeout exceeded when trying to connect|Client has encountered a connection error|the database system is (starting up|shutting down)|Connection is not established|connect ECONNREFUSED/i;

/**
 * A PostgreSQL failure (pg's DatabaseError, TypeORM's QueryFailedError with its `driverError`), or
 * undefined when the error is not one. A data exception (class 22: a NUL byte, an invalid encoding, a
 * value too long) or an integrity violation other than a unique race (class 23) is permanent for that
 * record: it is dead-lettered at once instead of retried for minutes.
 */
export function classifyPostgresError(error: unknown): FailureClassification | undefined {
  for (const e of causeChain(error)) {
    const code = (e as { code?: unknown }).code;
    if (typeof code !== 'string' || !/^[0-9A-Z]{5}$/.test(code) || !looksLikePostgres(e)) continue;
    const klass = code.slice(0, 2);
    if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_CLASSES.has(klass))
      return classified('transient', `PostgreSQL ${code} (${sqlstateLabel(code)})`);
    if (klass === '22' || klass === '23')
      return classified(
        'permanent-data',
        `PostgreSQL ${code} (${sqlstateLabel(code)}): the record's values are refused`,
      );
    if (CONFIG_CLASSES.has(klass))
      return classified(
        'permanent-config',
        `PostgreSQL ${code} (${sqlstateLabel(code)}): the schema or the statement is wrong`,
      );
    return classified('transient', `PostgreSQL ${code}`);
  }
  const message = (error as { message?: unknown } | null)?.message;
  if (typeof message === 'string' && CONNECTION_LOST.test(message))
    return classified('transient', 'PostgreSQL connection lost');
  return undefined;
}

function looksLikePostgres(e: object): boolean {
  const name = String((e as { name?: unknown }).name ?? '');
  return (
    name === 'error' || // pg's DatabaseError is named "error"
    name === 'DatabaseError' ||
    name === 'QueryFailedError' ||
    'severity' in e ||
    'routine' in e
  );
}

function sqlstateLabel(code: string): string {
  switch (code) {
    case '22021':
      return 'character not in repertoire: e.g. a NUL byte';
    case '22P05':
      return 'untranslatable character';
    case '22001':
      return 'value too long for its column';
    case '23505':
      return 'unique violation';
    case '40001':
      return 'serialization failure';
    case '40P01':
      return 'deadlock';
    default:
      return `class ${code.slice(0, 2)}`;
  }
}
