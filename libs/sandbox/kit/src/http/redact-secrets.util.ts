import { redactSecretsInText } from '@pardot-x3/observability';

/** Field names whose values are secrets wherever they appear (any depth, any case). */
const SECRET_FIELD_NAMES =
  'password|passwd|pwd|[A-Za-z_]*secret|assertion|client_assertion|api_?key|user_?key|(?:access|refresh|id)_?token|authorization|private_?key|signature';
const SECRET_FIELD = new RegExp(`^(?:${SECRET_FIELD_NAMES})$`, 'i');
const SECRET_JSON_MEMBER = new RegExp(
  `("(?:${SECRET_FIELD_NAMES})"\\s*:\\s*)("(?:[^"\\\\]|\\\\.)*"?|[^,}\\]\\s]+)`,
  'gi',
);

export const REDACTED = '[redacted]';

/** A copy of `value` with secret-looking fields replaced by "[redacted]" (for the ledger and logs). */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactSecrets(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value))
    out[key] = SECRET_FIELD.test(key) ? REDACTED : redactSecrets(v, depth + 1);
  return out;
}

/**
 * The same for a body kept as text (possibly cut short): JSON members with secret names, bearer tokens,
 * URL credentials and secret query parameters are replaced.
 */
export function redactSecretsInBodyText(text: string): string {
  try {
    return JSON.stringify(redactSecrets(JSON.parse(text)));
  } catch {
    return redactSecretsInText(text.replace(SECRET_JSON_MEMBER, `$1"${REDACTED}"`));
  }
}
