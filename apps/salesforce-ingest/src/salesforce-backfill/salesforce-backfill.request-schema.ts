import { SALESFORCE_SOURCE_OBJECTS, type SalesforceSourceObject } from '@pardot-x3/ingestion';
import { z } from 'zod';

/** Salesforce (and its SystemModstamp) did not exist before 1999. */
export const EARLIEST_BACKFILL = new Date('1999-01-01T00:00:00Z');
/** How far in the future `until` may be (clock skew between the caller and us). */
const FUTURE_SKEW_MS = 24 * 3600_000;

const dateTime = z.iso
  .datetime({
    offset: true,
    message: 'must be an ISO-8601 date-time with a time zone, e.g. 2026-11-01T00:00:00Z',
  })
  .transform((text) => new Date(text));

/**
 * The body of `POST /salesforce/backfill`: `{"since": ISO, "until"?: ISO, "objects"?: [...]}` —
 * `since` from 1999 to now, `until` (default now) not before `since` nor more than a day ahead,
 * `objects` a non-empty list of distinct known objects; any other key is refused. Every problem makes
 * a 400 (before, year 10000, `until` before `since` and `objects` that was not a list answered 202).
 */
export function backfillRequestSchema(now: () => Date = () => new Date()) {
  return z
    .object({
      since: dateTime,
      until: dateTime.optional(),
      objects: z
        .array(
          z.enum(SALESFORCE_SOURCE_OBJECTS, {
            message: `must be one of ${SALESFORCE_SOURCE_OBJECTS.join(', ')}`,
          }),
          { message: `must be a list of some of ${SALESFORCE_SOURCE_OBJECTS.join(', ')}` },
        )
        .min(1, 'must name at least one object')
        .refine((objects) => new Set(objects).size === objects.length, 'must not name an object twice')
        .optional(),
    })
    .strict()
    .superRefine((body, context) => {
      // zod runs this even when a field failed; only compare dates that parsed
      if (!(body.since instanceof Date) || (body.until !== undefined && !(body.until instanceof Date)))
        return;
      const latest = now().getTime();
      if (body.since < EARLIEST_BACKFILL || body.since.getTime() > latest)
        context.addIssue({
          code: 'custom',
          path: ['since'],
          message: `must be between ${EARLIEST_BACKFILL.toISOString()} and now`,
        });
      if (body.until !== undefined) {
        if (body.until < body.since)
          context.addIssue({ code: 'custom', path: ['until'], message: 'must not be before since' });
        else if (body.until.getTime() > latest + FUTURE_SKEW_MS)
          context.addIssue({ code: 'custom', path: ['until'], message: 'must not be more than a day ahead' });
      }
    });
}

export type BackfillRequest = z.output<ReturnType<typeof backfillRequestSchema>>;

/** The window a backfill reads: `until` defaults to now, `objects` to the configured ones. */
export interface BackfillWindow {
  readonly objects: SalesforceSourceObject[];
  readonly since: Date;
  readonly until: Date;
}
