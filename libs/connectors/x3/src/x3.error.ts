import { ExternalApiError, type ExternalApiErrorKind } from '@pardot-x3/connector-kit';
import { classifyX3Response } from '@pardot-x3/failure-policy';

/** One entry of `$diagnoses`: `{"$severity":"error","$message":"721 : Record does not exist"}`. */
export interface X3Diagnosis {
  readonly severity: string;
  readonly message: string;
}

/** What kind of business refusal a diagnosis is; the order flow replies with it. */
export type X3BusinessErrorKind =
  'record-not-found' | 'unknown-product' | 'insufficient-stock' | 'credit-hold' | 'duplicate' | 'other';

/** A call to X3 failed at the HTTP level (network, 5xx, authentication, unknown class…). */
export class X3ApiError extends ExternalApiError {
  constructor(
    message: string,
    details: {
      operation: string;
      kind: ExternalApiErrorKind;
      status?: number;
      rawMessage?: string;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    super(message, { system: 'x3', ...details });
    this.name = 'X3ApiError';
  }
}

/** X3 answered, but refused the work in its `$diagnoses` (permanent: retrying gives the same answer). */
export class X3BusinessError extends ExternalApiError {
  readonly businessKind: X3BusinessErrorKind;
  readonly diagnoses: readonly X3Diagnosis[];

  constructor(
    message: string,
    details: {
      operation: string;
      status?: number;
      businessKind: X3BusinessErrorKind;
      diagnoses: readonly X3Diagnosis[];
    },
  ) {
    const first = details.diagnoses.find((d) => isError(d)) ?? details.diagnoses[0];
    super(message, {
      system: 'x3',
      operation: details.operation,
      kind: 'permanent-data',
      status: details.status,
      code: first ? diagnosisCode(first.message) : undefined,
      rawMessage: first?.message,
    });
    this.name = 'X3BusinessError';
    this.businessKind = details.businessKind;
    this.diagnoses = details.diagnoses;
  }
}

const PRODUCT = /\b(ITMREF|product|item|article)\b/i;
const MISSING = /does not exist|not found|unknown|invalid|inexistant/i;

/** Sorts a diagnosis message into the refusals the flows handle; keep the raw text for people. */
export function classifyDiagnosis(message: string): X3BusinessErrorKind {
  if (/insufficient|shortage|not enough stock|stock (is )?not available|out of stock/i.test(message))
    return 'insufficient-stock';
  if (
    /customer held|credit (hold|limit|blocked)|on hold|blocked customer|credit exceeded|exceeds? (the )?(authori[sz]ed )?credit/i.test(
      message,
    )
  )
    return 'credit-hold';
  if (PRODUCT.test(message) && MISSING.test(message)) return 'unknown-product';
  if (/already exists|duplicate/i.test(message)) return 'duplicate';
  if (/record does not exist|record not found|\b721\b/i.test(message)) return 'record-not-found';
  return 'other';
}

/** Reads `$diagnoses` of any X3 payload (top level and nested lines). */
export function parseDiagnoses(body: unknown): X3Diagnosis[] {
  const out: X3Diagnosis[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (depth > 4 || value === null || typeof value !== 'object') return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    const diagnoses = record['$diagnoses'];
    if (Array.isArray(diagnoses)) {
      for (const d of diagnoses) {
        if (d && typeof d === 'object') {
          const entry = d as Record<string, unknown>;
          out.push({
            severity: String(entry['$severity'] ?? 'error'),
            message: String(entry['$message'] ?? ''),
          });
        }
      }
    }
    for (const [key, child] of Object.entries(record))
      if (key !== '$diagnoses' && typeof child === 'object') visit(child, depth + 1);
  };
  visit(body, 0);
  return out;
}

function isError(d: X3Diagnosis): boolean {
  return /^(error|fatal)$/i.test(d.severity);
}

function diagnosisCode(message: string): string | undefined {
  return /^\s*(\d+)\s*:/.exec(message)?.[1];
}

/** The business error carried by a payload's error diagnoses, if any; `what` names the work ("create sales order for opportunity 006…"). */
export function businessErrorOf(
  operation: string,
  what: string,
  status: number,
  body: unknown,
): X3BusinessError | undefined {
  const errors = parseDiagnoses(body).filter(isError);
  if (errors.length === 0) return undefined;
  const kinds = errors.map((e) => classifyDiagnosis(e.message));
  const businessKind = kinds.find((k) => k !== 'other' && k !== 'record-not-found') ?? kinds[0] ?? 'other';
  return new X3BusinessError(`Sage X3 refused ${what}: ${errors.map((e) => e.message).join('; ')}`, {
    operation,
    status,
    businessKind,
    diagnoses: parseDiagnoses(body),
  });
}

/** The typed error of a failed HTTP exchange with X3. */
export function x3ErrorFromResponse(
  operation: string,
  what: string,
  status: number,
  body: unknown,
): X3ApiError | X3BusinessError {
  const diagnoses = parseDiagnoses(body);
  const messages = diagnoses.map((d) => d.message);
  if (messages.length === 0 && typeof body === 'string' && body) messages.push(body.slice(0, 300));
  const verdict = classifyX3Response(status, messages);
  // A locked record or a busy web-service pool is not X3 refusing the record: it is "not now".
  const business =
    verdict.kind === 'permanent-data' ? businessErrorOf(operation, what, status, body) : undefined;
  if (business) return business;
  const text = messages.join('; ');
  const hint =
    verdict.kind === 'permanent-config' && (status === 401 || status === 403)
      ? ' (check X3_USERNAME / X3_PASSWORD and the user’s web-service rights)'
      : '';
  return new X3ApiError(`Sage X3 rejected ${what}: HTTP ${status}${text ? ` ${text}` : ''}${hint}`, {
    operation,
    kind: verdict.kind,
    status,
    rawMessage: text || undefined,
    retryAfterMs: verdict.retryAfterMs,
  });
}
