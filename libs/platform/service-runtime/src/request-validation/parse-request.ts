import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

/**
 * One way for every HTTP edge to refuse bad input: a zod schema per route (in a `*.request-schema.ts`
 * beside the controller), parsed here. A value the schema refuses becomes a 400 whose JSON `message`
 * names every problem with its path (`until: must not be before since; objects.0: …`), never a 500
 * and never a silent accept.
 */
export function parseRequest<S extends z.ZodType>(
  schema: S,
  value: unknown,
  what = 'the request',
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new BadRequestException(`${what} is not valid: ${describeIssues(result.error.issues)}`);
}

/** `path: message` for each issue, joined with `; ` (at most 10). */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 10).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path === '' ? issue.message : `${path}: ${issue.message}`;
  });
  if (issues.length > shown.length) shown.push(`and ${issues.length - shown.length} more`);
  return shown.join('; ');
}

// eslint-disable-next-line no-control-regex
const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A text a request may carry into PostgreSQL, Kafka or a target: 1 to `max` characters, no NUL
 * character (PostgreSQL refuses it: it answered 500) and no lone UTF-16 surrogate (no UTF-8 exists for
 * it). The same rule as `unstorableTextProblem` of @pardot-x3/ingestion, for shared code.
 */
export function requestText(max: number): z.ZodString {
  return z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((text) => !NUL.test(text), 'must not contain a NUL character')
    .refine((text) => !LONE_SURROGATE.test(text), 'must be valid Unicode (a lone surrogate is not)');
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Throws a 400 when the request's bytes are not UTF-8: a JSON parser would have replaced them with
 * U+FFFD, and a changed value is not what the caller sent. `rawBody` is the request's `rawBody`
 * (`createServiceApp` keeps it); absent (no body), nothing is checked.
 */
export function assertUtf8Body(rawBody: Buffer | undefined): void {
  if (rawBody === undefined || rawBody.length === 0) return;
  try {
    UTF8.decode(rawBody);
  } catch {
    throw new BadRequestException('the request body is not valid UTF-8');
  }
}
