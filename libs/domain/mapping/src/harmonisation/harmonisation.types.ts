/** Why a value could not be harmonised; stable codes that dashboards and dead-letter triage group by. */
export type ValueProblemCode =
  | 'required'
  | 'wrong-type'
  | 'too-long'
  | 'invalid-email'
  | 'invalid-phone'
  | 'unknown-country'
  | 'unknown-currency'
  | 'invalid-date'
  | 'not-a-number'
  | 'not-a-whole-number'
  | 'not-a-boolean'
  | 'invalid-postal-code'
  | 'untranslated-value'
  | 'not-a-list'
  | 'forbidden-key'
  | 'information-lost';

/** The result of harmonising one value: the canonical form, or the reason it has none. */
export type Harmonised<T> =
  | {
      readonly ok: true;
      readonly value: T;
      /** something the user should know, e.g. a phone extension kept aside */ readonly note?: string;
    }
  | {
      readonly ok: false;
      readonly code: ValueProblemCode;
      /** completes "<field>: <value> …", e.g. "is not a valid email address: it has no '@'" */ readonly problem: string;
    };

export function harmonised<T>(value: T, note?: string): Harmonised<T> {
  return note === undefined ? { ok: true, value } : { ok: true, value, note };
}

export function notHarmonised<T>(code: ValueProblemCode, problem: string): Harmonised<T> {
  return { ok: false, code, problem };
}
