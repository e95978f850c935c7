import { describe, expect, it } from 'vitest';
import { x3EqualsAny } from './x3-query.util.js';

describe('x3EqualsAny', () => {
  it('makes one predicate for several keys, quoting each value', () => {
    expect(x3EqualsAny('BPCORD', ['C00001', "O'NEIL"])).toBe("(BPCORD eq 'C00001' or BPCORD eq 'O''NEIL')");
  });

  it('refuses an empty list and a property that is not a name', () => {
    expect(() => x3EqualsAny('BPCORD', [])).toThrow();
    expect(() => x3EqualsAny('BPCORD eq 1 or X', ['a'])).toThrow(/not a valid X3 property name/);
  });
});
