import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parsePardotDateTime,
  pardotProspectSourceChange,
  pardotVisitorActivitySourceChange,
} from '../pardot/pardot-source-change.js';
import {
  parseSalesforceDateTime,
  salesforceCdcSourceChange,
  salesforceRecordSourceChange,
  type SalesforceCdcChange,
} from '../salesforce/salesforce-source-change.js';
import { parseX3Notification } from '../x3/x3-notification.js';
import { parseX3DateTime, x3SourceChange } from '../x3/x3-source-change.js';
import { X3_SOURCE_CLASSES, X3_SOURCE_CLASS_NAMES } from '../x3/x3-source-class.constants.js';
import { InvalidSourceRecordError } from './invalid-source-record.error.js';
import { flattenSourceFields } from './source-fields.js';
import { unstorableTextProblem } from './source-text.js';
import { compareSourceVersions, sourceVersionIdentity, type SourceVersion } from './source-version.js';

/**
 * Property-based tests (issue 11) of the source-change parsers, over arbitrary input — what a source,
 * a proxy or an attacker could send: they return a well-formed source event or throw the declared
 * InvalidSourceRecordError, never anything else; they never write into Object.prototype; and the
 * date and version rules round-trip.
 */

const RUNS = { numRuns: 300 };

/** Keys a hostile record uses besides ordinary ones. */
const nastyKey = fc.oneof(
  { weight: 6, arbitrary: fc.string({ maxLength: 12 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'hasOwnProperty',
      'valueOf',
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'a\u0000b',
      '\uD800',
      'Id',
      'id',
      '$uuid',
      'attributes',
      'UPDTICK',
      'UPDDATTIM',
      'BPCNUM',
    ),
  },
);
const nastyText = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'C0\u00001',
    '\uDFFF',
    '2026-11-26T10:15:00Z',
    '9999-99-99T99:99',
    '1e309',
    'NaN',
  ),
);
const scalar = fc.oneof(
  nastyText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(Number.NaN, Infinity, -0, Number.MAX_SAFE_INTEGER + 2),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    fc.array(tie('node'), { maxLength: 4 }),
    fc.dictionary(nastyKey, tie('node'), { maxKeys: 5 }),
  ),
})).node;
/** A record, sometimes through JSON.parse (which keeps "__proto__" as an own key, the dangerous shape). */
const record = fc
  .tuple(fc.dictionary(nastyKey, value, { maxKeys: 8 }), fc.boolean())
  .map(([r, viaJson]) => (viaJson ? (JSON.parse(JSON.stringify(r)) as Record<string, unknown>) : r));
/** A plausible X3 record with some fields replaced by arbitrary values. */
const x3Record = fc
  .tuple(
    fc.record({
      BPCNUM: fc.oneof(fc.constant('C00001'), fc.constantFrom('C0\u00001', '\uD800', 12345), value),
      SOHNUM: fc.oneof(fc.constant('SO1'), value),
      SDHNUM: fc.oneof(fc.constant('SD1'), value),
      ITMREF: fc.oneof(fc.constant('BIK-1'), value),
      STOFCY: fc.oneof(fc.constant('FR011'), value),
      UPDDATTIM: fc.oneof(fc.constant('2026-11-26T10:15:00Z'), value),
      UPDTICK: fc.oneof(fc.nat(), value),
      UPDUSR: value,
      SORDERQ: value,
      SDELIVERYD: value,
    }),
    record,
  )
  .map(([base, extra]): Record<string, unknown> => ({ ...base, ...extra }));

function onlyDeclaredErrors(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    if (error instanceof InvalidSourceRecordError) {
      expect(error.problems.length).toBeGreaterThan(0);
      return undefined;
    }
    throw error;
  }
}

const prototypeKeys = (): string[] => Object.getOwnPropertyNames(Object.prototype).sort();
const before = prototypeKeys();
function expectNoPollution(): void {
  expect(prototypeKeys()).toEqual(before);
  expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
}

function expectWellFormedFields(fields: Readonly<Record<string, unknown>>): void {
  for (const v of Object.values(fields)) {
    if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
    else expect(v === null || typeof v === 'string' || typeof v === 'boolean').toBe(true);
  }
}

describe('source-change parsers over arbitrary input', () => {
  it('X3: a well-formed event with a storable text key, or InvalidSourceRecordError', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...X3_SOURCE_CLASS_NAMES),
        x3Record,
        fc.constantFrom('CREATE', 'UPDATE', undefined),
        (className, r, kind) => {
          const out = onlyDeclaredErrors(() =>
            x3SourceChange({ className, record: r, via: 'POLL', folder: 'SEED', ...(kind ? { kind } : {}) }),
          ) as ReturnType<typeof x3SourceChange> | undefined;
          if (out) {
            // keys are texts and the version a whole number: anything else is refused, never coerced
            for (const field of X3_SOURCE_CLASSES[className].keyFields)
              expect(typeof r[field]).toBe('string');
            const tick = r['UPDTICK'];
            expect(tick === undefined || tick === null || Number.isSafeInteger(tick)).toBe(true);
            expect(out.change.recordId.trim()).not.toBe('');
            expect(unstorableTextProblem(out.change.recordId)).toBeUndefined();
            expect(Number.isFinite(out.version.changedAt)).toBe(true);
            if (out.version.sequence !== undefined)
              expect(Number.isSafeInteger(out.version.sequence)).toBe(true);
            expectWellFormedFields(out.change.fields);
            for (const line of out.change.lines) expectWellFormedFields(line.fields);
          }
          expectNoPollution();
        },
      ),
      RUNS,
    );
  });

  it('X3 notifications: parsed, ignored or InvalidSourceRecordError, whatever the body', () => {
    const body = fc.oneof(
      value,
      fc.record({
        eventId: fc.oneof(fc.constant('e1'), value),
        folder: fc.oneof(fc.constant('SEED'), value),
        class: fc.oneof(fc.constantFrom(...X3_SOURCE_CLASS_NAMES), value),
        key: fc.oneof(fc.constant('C00001'), value),
        changeType: fc.oneof(fc.constantFrom('CREATE', 'UPDATE'), value),
        record: fc.oneof(x3Record, value),
      }),
    );
    fc.assert(
      fc.property(body, (b) => {
        const parsed = onlyDeclaredErrors(() => parseX3Notification(b)) as
          ReturnType<typeof parseX3Notification> | undefined;
        if (parsed?.kind === 'change') {
          expect(unstorableTextProblem(parsed.notification.key)).toBeUndefined();
          onlyDeclaredErrors(() =>
            x3SourceChange({
              className: parsed.notification.className,
              record: parsed.notification.record,
              via: 'WEBHOOK',
              folder: 'SEED',
            }),
          );
        }
        expectNoPollution();
      }),
      RUNS,
    );
  });

  it('Salesforce REST and CDC records, Pardot prospects and activities: an event or InvalidSourceRecordError', () => {
    const cdc = fc.record({
      entityName: fc.constantFrom('Lead', 'Contact', 'Account'),
      recordId: fc.string({ minLength: 1, maxLength: 18 }),
      changeType: fc.constantFrom('CREATE', 'UPDATE', 'DELETE', 'UNDELETE'),
      commitTimestamp: fc.oneof(fc.integer(), fc.double()),
      changedFields: fc.array(fc.oneof(nastyKey, fc.constant('Name.FirstName')), { maxLength: 4 }),
      nulledFields: fc.array(nastyKey, { maxLength: 3 }),
      fields: record,
      changeOrigin: fc.string({ maxLength: 10 }),
      cdcReplayId: fc.integer(),
    }) as fc.Arbitrary<SalesforceCdcChange>;
    fc.assert(
      fc.property(record, cdc, (r, event) => {
        const stamped = { Id: '0035g00000XyZ01AAB', SystemModstamp: '2026-11-26T10:15:00.000+0000', ...r };
        for (const run of [
          () =>
            salesforceRecordSourceChange({
              sobject: 'Contact',
              record: stamped,
              via: 'POLL',
              changeType: 'SNAPSHOT',
            }),
          () =>
            salesforceRecordSourceChange({
              sobject: 'Opportunity',
              record: { ...stamped, OpportunityLineItems: r },
              via: 'BACKFILL',
              changeType: 'SNAPSHOT',
              children: [{ relationship: 'OpportunityLineItems', entity: 'OpportunityLineItem' }],
            }),
          () => salesforceCdcSourceChange(event),
          () => pardotProspectSourceChange({ id: 1, updatedAt: '2026-11-26T10:15:00+00:00', ...r }, null),
          () =>
            pardotVisitorActivitySourceChange({ id: 1, createdAt: '2026-11-26T10:15:00+00:00', ...r }, null),
          () => pardotProspectSourceChange(r, '0Uv'),
        ]) {
          const out = onlyDeclaredErrors(run) as { change: { fields: Record<string, unknown> } } | undefined;
          if (out) expectWellFormedFields(out.change.fields);
        }
        expectNoPollution();
      }),
      RUNS,
    );
  });
});

describe('round trips', () => {
  const instant = fc.integer({
    min: Date.parse('1970-01-01T00:00:00Z'),
    max: Date.parse('9999-12-31T23:59:59Z'),
  });

  it('an instant written as ISO-8601 UTC is read back as the same instant by each source date reader', () => {
    fc.assert(
      fc.property(instant, (ms) => {
        const iso = new Date(ms).toISOString();
        expect(parseX3DateTime(iso)).toBe(ms);
        expect(parseX3DateTime(iso.slice(0, -1))).toBe(ms); // X3 without a zone means UTC
        expect(parseSalesforceDateTime(iso.replace('Z', '+0000'))).toBe(ms);
        expect(parsePardotDateTime(iso.replace('Z', '+00:00'))).toBe(ms);
      }),
      RUNS,
    );
  });

  it('source versions: comparison is antisymmetric, and equal versions have equal identities', () => {
    const version = fc
      .record({ changedAt: instant, sequence: fc.option(fc.nat(), { nil: undefined }) })
      .map((v): SourceVersion => (v.sequence === undefined ? { changedAt: v.changedAt } : v));
    const change = x3SourceChange({
      className: 'BPCUSTOMER',
      record: { BPCNUM: 'C00001', UPDDATTIM: '2026-11-26T10:15:00Z' },
      via: 'POLL',
      folder: 'SEED',
    }).change;
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(Math.sign(compareSourceVersions(a, b))).toBe(-Math.sign(compareSourceVersions(b, a)) || 0);
        expect(compareSourceVersions(a, a)).toBe(0);
        expect(sourceVersionIdentity(change, a)).toBe(sourceVersionIdentity(change, { ...a }));
      }),
      RUNS,
    );
  });

  it('flattening a record keeps every scalar at its dotted path', () => {
    const plainKey = fc
      .stringMatching(/^[A-Za-z][A-Za-z0-9_]{0,8}$/)
      .filter((k) => !['constructor', 'prototype', 'attributes'].includes(k));
    const leaf = fc.oneof(fc.string({ maxLength: 10 }), fc.integer(), fc.boolean(), fc.constant(null));
    const nested = fc.dictionary(
      plainKey,
      fc.oneof(leaf, fc.dictionary(plainKey, leaf, { minKeys: 1, maxKeys: 3 })),
      {
        maxKeys: 6,
      },
    );
    fc.assert(
      fc.property(nested, (r) => {
        const flat = flattenSourceFields(r);
        const expected: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(r))
          if (v !== null && typeof v === 'object')
            for (const [k2, v2] of Object.entries(v)) expected[`${k}.${k2}`] = v2;
          else expected[k] = v;
        expect(flat).toEqual(expected);
      }),
      RUNS,
    );
  });
});
