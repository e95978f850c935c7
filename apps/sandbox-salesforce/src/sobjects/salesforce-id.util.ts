const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** 15 case-sensitive characters or 18 with the case-insensitive checksum suffix. */
const ID_PATTERN = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/** The three-character checksum Salesforce appends to a 15-character id to make it case-insensitive. */
export function idChecksum(id15: string): string {
  let suffix = '';
  for (let chunk = 0; chunk < 3; chunk += 1) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= 'A' && c <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

/**
 * A record id like Salesforce's: key prefix (3), pod "5g0" (3), zero-padded base-62 counter (9),
 * checksum (3). Ids from one generator are unique and sort in creation order.
 */
export function makeSalesforceId(keyPrefix: string, counter: number): string {
  let n = counter;
  let digits = '';
  do {
    digits = BASE62.charAt(n % 62) + digits;
    n = Math.floor(n / 62);
  } while (n > 0);
  const id15 = `${keyPrefix}5g0${digits.padStart(9, '0')}`;
  return id15 + idChecksum(id15);
}

/** The 18-character form of a 15- or 18-character id, or undefined when it is not an id at all. */
export function normalizeSalesforceId(value: string): string | undefined {
  if (!ID_PATTERN.test(value)) return undefined;
  const id15 = value.slice(0, 15);
  return id15 + idChecksum(id15);
}

export function isSalesforceId(value: string): boolean {
  return normalizeSalesforceId(value) !== undefined;
}
