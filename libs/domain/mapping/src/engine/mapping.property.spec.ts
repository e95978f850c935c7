import { readdirSync, readFileSync } from 'node:fs';
import { flattenSourceFields } from '@pardot-x3/ingestion';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ValueProblemCode } from '../harmonisation/harmonisation.types.js';
import { harmonise, HARMONISER_KINDS, type HarmoniserKind } from '../harmonisation/harmoniser.registry.js';
import { sourceRecordInput } from '../source-record/source-record-input.js';
import { parseMappingTemplate } from '../template/mapping-template.parser.js';
import { mapRecord } from './mapping.engine.js';

/**
 * Property-based tests (issue 11) of the mapping engine and the harmonisers over arbitrary input: they
 * never throw (a bad value is a problem with a declared code, a bad record is `rejected`), never write
 * into Object.prototype, and the rules that should round-trip do.
 */

const RUNS = { numRuns: 200 };
const MAPPINGS_DIR = new URL('../../../../../config/mappings/', import.meta.url);
const templates = readdirSync(MAPPINGS_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((file) =>
    parseMappingTemplate(readFileSync(new URL(file, MAPPINGS_DIR), 'utf8'), `config/mappings/${file}`),
  );
const sample = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`samples/${name}.sample.json`, MAPPINGS_DIR), 'utf8')) as Record<
    string,
    unknown
  >;

const PROBLEM_CODES: readonly ValueProblemCode[] = [
  'required',
  'wrong-type',
  'too-long',
  'invalid-email',
  'invalid-phone',
  'unknown-country',
  'unknown-currency',
  'invalid-date',
  'not-a-number',
  'not-a-whole-number',
  'not-a-boolean',
  'invalid-postal-code',
  'untranslated-value',
  'not-a-list',
  'forbidden-key',
  'information-lost',
];

const nastyKey = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'valueOf',
      'a.b',
      '__proto__.x',
    ),
  },
);
const scalar = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '+33 1 42 68 53 00',
    'FR',
    'France',
    'EUR',
    '2026-11-26',
    '1,5',
    '1e309',
    'true',
  ),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.NaN, Infinity, -0, 8.64e15 + 1, -8.64e15 - 1),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 3 }),
    fc.dictionary(nastyKey, tie('node'), { maxKeys: 4 }),
  ),
})).node;

const prototypeKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();
const before = prototypeKeys();
function expectNoPollution(): void {
  expect(prototypeKeys()).toEqual(before);
  expect(({} as Record<string, unknown>)['px3Polluted']).toBeUndefined();
}

describe('harmonisers over arbitrary values', () => {
  const options = fc.record(
    {
      maxLength: fc.integer({ min: 0, max: 50 }),
      case: fc.constantFrom('upper' as const, 'lower' as const, 'title' as const),
      defaultCountry: fc.constantFrom('FR', 'US', 'GB', 'DE'),
      timeZone: fc.constantFrom('UTC', 'Europe/Paris', 'America/New_York'),
      decimalSeparator: fc.constantFrom('.' as const, ',' as const),
      line: fc.integer({ min: 1, max: 3 }),
      of: fc.integer({ min: 1, max: 3 }),
    },
    { requiredKeys: [] },
  );

  it('return a canonical value or a declared problem code, and never throw', () => {
    fc.assert(
      fc.property(fc.constantFrom(...HARMONISER_KINDS), value, options, (kind, v, o) => {
        const result = harmonise(kind, v, o);
        if (result.ok) {
          const out = result.value;
          expect(out === null || ['string', 'number', 'boolean'].includes(typeof out)).toBe(true);
          if (typeof out === 'number') expect(Number.isFinite(out)).toBe(true);
        } else {
          expect(PROBLEM_CODES).toContain(result.code);
          expect(result.problem.length).toBeGreaterThan(0);
        }
        expectNoPollution();
      }),
      { numRuns: 1000 },
    );
  });

  const idempotent: readonly HarmoniserKind[] = [
    'text',
    'email',
    'country',
    'currency',
    'boolean',
    'decimal',
    'integer',
    'postal-code',
  ];
  it.each(idempotent)('%s: harmonising a canonical value again gives the same value', (kind) => {
    fc.assert(
      fc.property(scalar, (v) => {
        const first = harmonise(kind, v);
        if (!first.ok || first.value === null) return;
        const again = harmonise(kind, first.value);
        expect(again).toMatchObject({ ok: true, value: first.value });
      }),
      { numRuns: 500 },
    );
  });
});

describe('mapRecord over arbitrary records, with every shipped template', () => {
  it.each(templates.map((t) => [t.name, t] as const))(
    '%s: mapped, skipped or rejected with reasons; never throws or pollutes',
    (_name, template) => {
      const good = sample(template.name);
      // a shipped sample with some of its fields replaced by arbitrary values or keys added, and arbitrary records
      const record = fc.oneof(
        fc
          .tuple(
            fc.dictionary(fc.constantFrom(...Object.keys(good)), value, { maxKeys: 4 }),
            fc.dictionary(nastyKey, value, { maxKeys: 3 }),
            fc.boolean(),
          )
          .map(([replaced, added, viaJson]) => {
            const r = { ...good, ...replaced, ...added };
            return viaJson ? (JSON.parse(JSON.stringify(r)) as unknown) : r;
          }),
        value,
      );
      fc.assert(
        fc.property(record, (r) => {
          const result = mapRecord(template, r);
          expect(['mapped', 'skipped', 'rejected']).toContain(result.outcome);
          if (result.outcome === 'rejected') {
            expect(result.problems.length).toBeGreaterThan(0);
            for (const problem of result.problems) {
              expect(PROBLEM_CODES).toContain(problem.code);
              expect(problem.message.length).toBeGreaterThan(0);
            }
          }
          expectNoPollution();
        }),
        RUNS,
      );
    },
  );

  it('a source event with dotted field names that walk into __proto__ is rejected (forbidden-key), never pollutes', () => {
    const template = templates.find((t) => t.name === 'x3-customer-to-canonical');
    if (!template) throw new Error('x3-customer-to-canonical is not shipped');
    const hostile = fc.constantFrom(
      '__proto__.px3Polluted',
      'a.__proto__.px3Polluted',
      'constructor.prototype.px3Polluted',
      'prototype',
    );
    fc.assert(
      fc.property(
        hostile,
        fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.constant(null)), {
          maxKeys: 4,
        }),
        (field, fields) => {
          const input = sourceRecordInput({
            fields: { ...fields, BPCNUM: 'C1', [field]: 'polluted' },
            lines: [],
          });
          const result = mapRecord(template, input);
          expect(result.outcome).toBe('rejected');
          if (result.outcome === 'rejected')
            expect(result.problems.map((p) => p.code)).toContain('forbidden-key');
          expectNoPollution();
        },
      ),
      RUNS,
    );
  });
});

describe('round trip: ingestion flattens a record, the transformer nests it back', () => {
  it('sourceRecordInput(flattenSourceFields(record)) is the record, for nested records of scalars', () => {
    const plainKey = fc
      .stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/)
      .filter((k) => !['constructor', 'prototype', 'attributes'].includes(k));
    const leaf = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
    const nested = fc.dictionary(
      plainKey,
      fc.oneof(
        leaf,
        fc.dictionary(plainKey, fc.oneof(leaf, fc.dictionary(plainKey, leaf, { minKeys: 1, maxKeys: 2 })), {
          minKeys: 1,
          maxKeys: 3,
        }),
      ),
      { maxKeys: 6 },
    );
    fc.assert(
      fc.property(nested, (record) => {
        const input = sourceRecordInput({ fields: flattenSourceFields(record), lines: [] });
        expect(JSON.parse(JSON.stringify(input))).toEqual(record);
      }),
      { numRuns: 500 },
    );
  });
});
