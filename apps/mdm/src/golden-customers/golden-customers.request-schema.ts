import { requestText } from '@pardot-x3/service-runtime';
import { z } from 'zod';

/**
 * What the golden-customer routes accept, in one place: ids and emails are bounded texts without NUL
 * bytes or lone surrogates (a NUL byte reached PostgreSQL and answered 500). A value refused here is a
 * 400 naming it (`parseRequest`).
 */
export const goldenIdParamsSchema = z.object({ goldenId: requestText(100) });

export const bySourceParamsSchema = z.object({
  system: requestText(20),
  entity: requestText(40),
  sourceId: requestText(100),
});

const LOOKUP_HINT = 'give {"email": "…"} or {"system": "SALESFORCE", "entity": "Lead", "id": "00Q…"}';

/** `POST /golden-customers/lookup`: by email, or by a source record. */
export const lookupRequestSchema = z.union(
  [
    z.object({ email: requestText(320) }).strict(),
    z.object({ system: requestText(20), entity: requestText(40), id: requestText(100) }).strict(),
  ],
  { message: LOOKUP_HINT },
);
