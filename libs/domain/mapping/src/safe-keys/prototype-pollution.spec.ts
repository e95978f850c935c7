import { afterEach, describe, expect, it } from 'vitest';
import { mapRecord } from '../engine/mapping.engine.js';
import type { MappingResult } from '../engine/mapping-result.types.js';
import { sourceRecordInput } from '../source-record/source-record-input.js';
import { ConfigFileError } from '../config-file/config-file.error.js';
import { parseMappingTemplate } from '../template/mapping-template.parser.js';
import { writeTargetPath } from '../template/source-path.util.js';
import { forbiddenKeyPaths } from './safe-keys.util.js';

/**
 * Crash isolation (issue 10): a source field named `__proto__.x` (or a nested `__proto__` a webhook's
 * JSON carried) once wrote into Object.prototype through `sourceRecordInput`, and every later
 * `for…in` in the process (prom-client's label checks among them) threw until the transformer exited.
 */

const POLLUTION = ['px3Polluted', 'px3PollutedLine', 'px3PollutedJson'] as const;

function pollution(): Record<string, unknown> {
  const probe: Record<string, unknown> = {};
  return Object.fromEntries(
    POLLUTION.map((key) => [key, probe[key]]).filter(([, value]) => value !== undefined),
  );
}

afterEach(() => {
  // A failing run must not leave the worker polluted for the next tests.
  for (const key of POLLUTION) delete (Object.prototype as Record<string, unknown>)[key];
});

const template = parseMappingTemplate(
  [
    'template: lead-to-canonical',
    'version: 1',
    'source: { system: SALESFORCE, entity: Lead, id: Id }',
    'target: { system: CANONICAL, entity: CustomerObservation }',
    'fields:',
    '  email: { from: Email, as: email }',
    '  companyName: { from: Account.Name, as: text }',
    '  lines: { each: Lines, fields: { code: ProductCode } }',
    'passThrough:',
    "  - match: '*'",
    '    into: extra',
  ].join('\n'),
  'lead-to-canonical.yaml',
);

const rejected = (result: MappingResult) => {
  if (result.outcome !== 'rejected') throw new Error(`expected rejected, got ${result.outcome}`);
  return result;
};

describe('a __proto__ / constructor / prototype field cannot pollute Object.prototype', () => {
  it.each([
    ['__proto__.px3Polluted'],
    ['Account.__proto__.px3Polluted'],
    ['constructor.prototype.px3Polluted'],
    ['Account.constructor.prototype.px3Polluted'],
  ])('source event field %s: Object.prototype stays clean and the record is rejected, naming it', (field) => {
    const input = sourceRecordInput({
      fields: { Id: '00Q1', Email: 'jane@acme.example', 'Account.Name': 'Acme', [field]: 'polluted' },
      lines: [],
    });
    expect(pollution()).toEqual({});
    const result = rejected(mapRecord(template, input));
    expect(pollution()).toEqual({});
    expect(result.recordId).toBe('00Q1');
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ code: 'forbidden-key' });
    expect(result.problems[0]?.message).toMatch(
      /^the source field (Account\.)?(__proto__|constructor) is refused: __proto__, constructor and prototype are not allowed as field names$/,
    );
  });

  it('a line field or a line entity named __proto__: clean, and rejected', () => {
    const input = sourceRecordInput(
      {
        fields: { Id: '00Q1', Email: 'jane@acme.example' },
        lines: [
          {
            entity: 'LineItem',
            recordId: 'L1',
            fields: { ProductCode: 'A', '__proto__.px3PollutedLine': 'x' },
          },
          { entity: '__proto__', recordId: 'L2', fields: { px3PollutedLine: 'x' } },
          { entity: 'constructor', recordId: 'L3', fields: { ProductCode: 'C' } },
        ],
      },
      { lines: { LineItem: { into: 'Lines' } } },
    );
    expect(pollution()).toEqual({});
    const result = rejected(mapRecord(template, input));
    expect(result.problems.map((p) => p.sourcePath)).toEqual([
      'Lines.0.__proto__',
      '__proto__',
      'constructor',
    ]);
    expect(pollution()).toEqual({});
  });

  it('JSON.parse keeps "__proto__" as an own key (no pollution by itself); mapping refuses it before copying anything', () => {
    const nested = JSON.parse(
      '{"Id":"00Q1","Email":"jane@acme.example","Account":{"Name":"Acme","__proto__":{"px3PollutedJson":"x"}}}',
    ) as unknown;
    const topLevel = JSON.parse(
      '{"Id":"00Q2","Email":"jane@acme.example","__proto__":{"px3PollutedJson":"x"},"Lines":[{"constructor":{"prototype":{"px3PollutedJson":"x"}}}]}',
    ) as unknown;
    expect(Object.keys(nested as object)).toContain('Account');
    expect(Object.keys(topLevel as object)).toContain('__proto__');
    expect(pollution()).toEqual({});

    const first = rejected(mapRecord(template, nested));
    expect(first.problems.map((p) => p.sourcePath)).toEqual(['Account.__proto__']);
    // the pass-through `*` rule would otherwise copy the own "__proto__" key into the output record
    const second = rejected(mapRecord(template, topLevel));
    expect(second.problems.map((p) => p.sourcePath)).toEqual(['__proto__', 'Lines.0.constructor']);
    expect(second.recordId).toBe('00Q2');
    expect(pollution()).toEqual({});
  });

  it('a clean record still maps, with the nested records and lines sourceRecordInput builds', () => {
    const input = sourceRecordInput(
      {
        fields: { Id: '00Q1', Email: 'Jane@Acme.example', 'Account.Name': 'Acme', Custom__c: 'yes' },
        lines: [{ entity: 'LineItem', recordId: 'L1', fields: { ProductCode: 'A' } }],
      },
      { lines: { LineItem: { into: 'Lines' } } },
    );
    const result = mapRecord(template, input);
    expect(result.outcome).toBe('mapped');
    if (result.outcome !== 'mapped') return;
    expect(result.record).toEqual({
      email: 'jane@acme.example',
      companyName: 'Acme',
      lines: [{ code: 'A' }],
      extra: { Id: '00Q1', Custom__c: 'yes' },
    });
    // the output is made of ordinary objects (Avro and JSON writers downstream expect them)
    expect(Object.getPrototypeOf(result.record)).toBe(Object.prototype);
  });
});

describe('templates and output paths refuse __proto__, constructor and prototype', () => {
  const header =
    'template: t\nversion: 1\nsource: { system: X3, entity: BPCUSTOMER }\ntarget: { system: CANONICAL, entity: CustomerObservation }\n';

  it.each([
    ['an output path', 'fields:\n  __proto__.px3Polluted: BPCNAM\n', '__proto__.px3Polluted'],
    ['a source path', 'fields:\n  companyName: constructor.prototype\n', 'constructor.prototype'],
    [
      'a condition field',
      'when: { field: __proto__, present: true }\nfields:\n  companyName: BPCNAM\n',
      '__proto__',
    ],
    [
      'a pass-through target',
      "fields:\n  companyName: BPCNAM\npassThrough:\n  - match: '*'\n    into: prototype\n",
      'prototype',
    ],
  ])('%s', (_what, body, path) => {
    let error: unknown;
    try {
      parseMappingTemplate(`${header}${body}`, 't.yaml');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigFileError);
    expect(String((error as Error).message)).toContain(
      `"${path}": __proto__, constructor and prototype are not allowed as field names`,
    );
    expect(pollution()).toEqual({});
  });

  it('writeTargetPath throws on a forbidden segment instead of writing into Object.prototype', () => {
    const record = {};
    expect(() => writeTargetPath(record, '__proto__.px3Polluted', 'x')).toThrow(/__proto__/);
    expect(() => writeTargetPath(record, 'constructor.prototype.px3Polluted', 'x')).toThrow(/constructor/);
    expect(pollution()).toEqual({});
  });

  it('forbiddenKeyPaths finds own keys at any depth, list items by position', () => {
    const value = JSON.parse(
      '{"a":{"__proto__":1},"b":[{"prototype":2}],"c":{"constructor":{"x":1}},"d":"__proto__"}',
    );
    expect(forbiddenKeyPaths(value)).toEqual(['a.__proto__', 'b.0.prototype', 'c.constructor']);
    expect(forbiddenKeyPaths({ a: { b: [1, 'x', null] } })).toEqual([]);
  });
});
