/** One entry of X3's `$diagnoses` array. */
export interface X3Diagnosis {
  readonly $severity: 'error' | 'warning' | 'info';
  readonly $message: string;
}

export function diagnosis(message: string, severity: X3Diagnosis['$severity'] = 'error'): X3Diagnosis {
  return { $severity: severity, $message: message };
}

/**
 * A request X3 refuses at the HTTP level (authentication, unknown class or representation, syntax,
 * malformed where): the status and a `$diagnoses` body.
 */
export class X3HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(message);
    this.name = 'X3HttpError';
  }
}

/** Business errors (credit hold, unknown product, stock shortage, …): answered inside the payload. */
export class X3BusinessError extends Error {
  constructor(readonly diagnoses: readonly X3Diagnosis[]) {
    super(diagnoses.map((d) => d.$message).join('; '));
    this.name = 'X3BusinessError';
  }
}
