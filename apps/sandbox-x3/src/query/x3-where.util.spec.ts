import { describe, expect, it } from 'vitest';
import type { X3FieldType } from '../catalog/x3-class-catalog.constants.js';
import { X3HttpError } from '../errors/x3-http.error.js';
import { parseWhere } from './x3-where.util.js';

const types: Record<string, X3FieldType> = {
  BPCNUM: 'string',
  BPCNAM: 'string',
  OSTAUZ: 'decimal',
  UPDDATTIM: 'datetime',
  ORDDAT: 'date',
};
const row = {
  BPCNUM: 'C00012',
  BPCNAM: "O'Neill Cycles",
  OSTAUZ: 5000,
  UPDDATTIM: '2025-06-06T10:00:00Z',
  ORDDAT: '2025-06-01',
};
const matches = (where: string): boolean =>
  parseWhere(where, (f) => types[f])((f) => (row as Record<string, string | number>)[f] ?? null);

describe('api1 where clauses', () => {
  it('compares properties with strings, numbers and @date-times@', () => {
    expect(matches("BPCNUM eq 'C00012'")).toBe(true);
    expect(matches('OSTAUZ ge 5000 and OSTAUZ lt 5001')).toBe(true);
    expect(matches('UPDDATTIM gt @2025-06-06T00:00:01Z@')).toBe(true);
    expect(matches('UPDDATTIM gt @2025-06-06T10:00:00Z@')).toBe(false);
    expect(matches("ORDDAT le '2025-06-01'")).toBe(true);
    // without an offset a date-time is UTC, whatever the machine's time zone
    expect(matches('UPDDATTIM eq @2025-06-06T10:00:00@')).toBe(true);
  });

  it('supports functions, like, quotes, not/or and parentheses', () => {
    expect(matches("left(BPCNAM,4) eq 'O''Ne'")).toBe(true);
    expect(matches("upper(BPCNAM) like '%CYCLES'")).toBe(true);
    expect(matches("not (BPCNUM eq 'X') and (OSTAUZ eq 1 or BPCNUM ne 'Y')")).toBe(true);
  });

  it('answers 400 for syntax errors and 500 for a property the class lacks', () => {
    const status = (where: string): number | undefined => {
      try {
        parseWhere(where, (f) => types[f]);
      } catch (error) {
        return (error as X3HttpError).status;
      }
      return undefined;
    };
    expect(status("BPCNUM = 'x'")).toBe(400);
    expect(status('BPCNUM eq')).toBe(400);
    expect(status("(BPCNUM eq 'x'")).toBe(400);
    expect(status('UPDDATTIM gt @yesterday@')).toBe(400);
    expect(status("BPCGRP eq 'A'")).toBe(500);
  });
});
