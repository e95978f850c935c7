import { describe, expect, it } from 'vitest';
import { harmoniseEmail } from './email.harmoniser.js';

describe('harmoniseEmail', () => {
  it.each([
    ['  Jane.Doe@Acme-Industrie.FR ', 'jane.doe@acme-industrie.fr'],
    ['mailto:jane@acme.com', 'jane@acme.com'],
    ['Jane Doe <Jane@Acme.com>', 'jane@acme.com'],
    ["o'brien+orders@mail.acme.co.uk", "o'brien+orders@mail.acme.co.uk"],
    ['info@xn--mller-kva.de', 'info@xn--mller-kva.de'],
  ])('turns %j into %j', (input, expected) => {
    expect(harmoniseEmail(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['jane.doe.acme.com', "it has no '@'"],
    ['jane@@acme.com', "it has more than one '@'"],
    ['jane doe@acme.com', 'it contains a space'],
    ['@acme.com', "nothing comes before the '@'"],
    ['jane@', "nothing comes after the '@'"],
    ['jane@acme', 'the domain "acme" has no top-level domain such as .com'],
    [
      'jane.@acme.com',
      'the part before the @ ("jane.") has a character or dot in a place email does not allow',
    ],
    ['jane@acme..com', 'the domain "acme..com" is not a valid host name'],
    ['jane@acme.c0m', 'the domain "acme.c0m" does not end in a valid top-level domain'],
  ])('rejects %j because %s', (input, why) => {
    expect(harmoniseEmail(input)).toEqual({
      ok: false,
      code: 'invalid-email',
      problem: `is not a valid email address: ${why}`,
    });
  });

  it('rejects an address longer than email allows', () => {
    expect(harmoniseEmail(`${'a'.repeat(65)}@acme.com`)).toMatchObject({
      ok: false,
      problem: expect.stringContaining('longer than 64'),
    });
  });

  it('says a number is not an email address rather than guessing', () => {
    expect(harmoniseEmail(42)).toEqual({
      ok: false,
      code: 'wrong-type',
      problem: 'is a number, not an email address',
    });
  });
});
