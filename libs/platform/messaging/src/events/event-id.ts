import { v5 as uuidV5, v7 as uuidV7, validate } from 'uuid';

/** UUID namespace of ids derived by pardot-x3 (a v4 UUID chosen once). */
const DERIVED_ID_NAMESPACE = '8d1f4f1e-6a7b-4c8e-9a51-7f0c2d3b5e94';

/** A new event id: UUID v7, time-ordered, so ids sort by creation and index well. */
export function newEventId(): string {
  return uuidV7();
}

/**
 * A deterministic event id (UUID v5) from a cause and a name: processing the same input again makes
 * the same output ids, so downstream consumers recognise the output as already applied.
 */
export function deriveEventId(cause: string, name: string): string {
  return uuidV5(`${cause}\u0000${name}`, DERIVED_ID_NAMESPACE);
}

export function isUuid(value: string): boolean {
  return validate(value);
}
