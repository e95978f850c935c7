/**
 * Masking of personal data for callers whose role does not read it in clear: enough is left to
 * recognise a record one already knows of (a first letter, a domain's last part, a phone's last two
 * digits), not enough to learn anything new.
 */
export const MASK = '***';

/** `jane.doe@acme.com` → `j***@***.com`. */
export function maskEmail(email: string | null | undefined): string | null {
  if (email === null || email === undefined || email === '') return email ?? null;
  const at = email.lastIndexOf('@');
  if (at < 1) return MASK;
  const tld = email.slice(email.lastIndexOf('.') + 1);
  return `${email.slice(0, 1)}${MASK}@${MASK}${email.lastIndexOf('.') > at ? `.${tld}` : ''}`;
}

/** `+33 1 23 45 67 89` → `***89`. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (phone === null || phone === undefined || phone === '') return phone ?? null;
  const digits = phone.replace(/\D/g, '');
  return digits.length > 4 ? `${MASK}${digits.slice(-2)}` : MASK;
}

/** `Jane` → `J***`; any other text (street, city) the same way. */
export function maskText(text: string | null | undefined): string | null {
  if (text === null || text === undefined || text === '') return text ?? null;
  return `${[...text][0] ?? ''}${MASK}`;
}
