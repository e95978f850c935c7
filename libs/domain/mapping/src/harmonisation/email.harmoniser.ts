import { harmonised, notHarmonised, type Harmonised } from './harmonisation.types.js';
import { kindOf } from './value-display.util.js';

const LOCAL_PART = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const DOMAIN_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TOP_LEVEL_DOMAIN = /^(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * Canonical email: trimmed, without a `mailto:` prefix or angle brackets, lower case (Pardot and
 * Salesforce treat addresses case-insensitively, and email is the first matching key). Checks the
 * syntax a mail server would accept (RFC 5321 lengths, dot-atom local part, a domain with a
 * top-level label) and says what is wrong.
 */
export function harmoniseEmail(value: unknown): Harmonised<string> {
  if (typeof value !== 'string')
    return notHarmonised('wrong-type', `is ${kindOf(value)}, not an email address`);
  let email = value.trim().replace(/^mailto:/i, '');
  const bracketed = /^[^<]*<([^>]+)>$/.exec(email);
  if (bracketed?.[1]) email = bracketed[1].trim();
  email = email.toLowerCase();
  const invalid = (why: string): Harmonised<string> =>
    notHarmonised('invalid-email', `is not a valid email address: ${why}`);

  if (/\s/.test(email)) return invalid('it contains a space');
  const at = email.split('@');
  if (at.length === 1) return invalid("it has no '@'");
  if (at.length > 2) return invalid("it has more than one '@'");
  const [local = '', domain = ''] = at;
  if (local.length === 0) return invalid("nothing comes before the '@'");
  if (domain.length === 0) return invalid("nothing comes after the '@'");
  if (email.length > 254) return invalid('it is longer than 254 characters');
  if (local.length > 64) return invalid('the part before the @ is longer than 64 characters');
  if (!LOCAL_PART.test(local))
    return invalid(
      `the part before the @ ("${local}") has a character or dot in a place email does not allow`,
    );
  const labels = domain.split('.');
  if (labels.length < 2) return invalid(`the domain "${domain}" has no top-level domain such as .com`);
  if (labels.some((label) => !DOMAIN_LABEL.test(label)))
    return invalid(`the domain "${domain}" is not a valid host name`);
  if (!TOP_LEVEL_DOMAIN.test(labels[labels.length - 1] ?? ''))
    return invalid(`the domain "${domain}" does not end in a valid top-level domain`);
  return harmonised(email);
}
