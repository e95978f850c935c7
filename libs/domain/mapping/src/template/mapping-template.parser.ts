import {
  parseYamlConfig,
  type ConfigPath,
  type ReportConfigIssue,
} from '../config-file/yaml-config.parser.js';
import { isCountryCode } from '../harmonisation/country.harmoniser.js';
import { isDateFormat, isTimeZone } from '../harmonisation/date.harmoniser.js';
import {
  HARMONISER_OPTIONS,
  type HarmoniserOptionName,
  type HarmoniserOptions,
} from '../harmonisation/harmoniser.registry.js';
import { FORBIDDEN_KEYS_RULE, hasForbiddenSegment } from '../safe-keys/safe-keys.util.js';
import { closestName } from './closest-name.util.js';
import type {
  Condition,
  ConditionOperator,
  FieldRule,
  FieldSource,
  MappingTemplate,
  PassThroughRule,
  Scalar,
  TranslationTable,
} from './mapping-template.types.js';
import {
  rawMappingTemplateSchema,
  type RawCondition,
  type RawFieldRule,
  type RawMappingTemplate,
} from './mapping-template.schema.js';
import { isValidSourcePath, isValidTargetPath, ROOT_PREFIX } from './source-path.util.js';

const OPERATORS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'present',
  'matches',
  'greaterThan',
  'lessThan',
] as const;
const SOURCE_KEYS = ['from', 'const', 'join', 'list', 'each'] as const;
const OPTION_NAMES: readonly HarmoniserOptionName[] = [
  'maxLength',
  'case',
  'defaultCountry',
  'format',
  'timeZone',
  'decimalSeparator',
  'aliases',
  'line',
  'of',
];

/**
 * Reads a mapping template from its YAML text. Every problem is reported at once with the line to fix
 * (see {@link ConfigFileError}); a template that loads is safe to run on any record.
 */
export function parseMappingTemplate(text: string, fileName: string): MappingTemplate {
  const raw = parseYamlConfig(text, fileName, rawMappingTemplateSchema, checkTemplate);
  return toTemplate(raw, fileName);
}

/** Why a path was refused: a forbidden key (`__proto__`, `constructor`, `prototype`), or its form. */
function notAPath(path: string, what: string): string {
  return hasForbiddenSegment(path) ? `"${path}": ${FORBIDDEN_KEYS_RULE}` : `"${path}" is not ${what}`;
}

function checkTemplate(raw: RawMappingTemplate, report: ReportConfigIssue): void {
  const tables = Object.keys(raw.translations ?? {});
  if (raw.source.id !== undefined && !isValidSourcePath(raw.source.id))
    report(['source', 'id'], notAPath(raw.source.id, 'a source path (keys separated by dots)'));
  if (raw.when) checkCondition(raw.when, ['when'], report, false);
  for (const [name, table] of Object.entries(raw.translations ?? {})) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name))
      report(
        ['translations', name],
        `translation table names are kebab-case, such as pardot-grade-to-x3-category`,
        { at: 'key' },
      );
    if (table.ignoreCase) {
      const seen = new Map<string, string>();
      for (const key of Object.keys(table.entries)) {
        const other = seen.get(key.toLowerCase());
        if (other !== undefined)
          report(
            ['translations', name, 'entries', key],
            `"${key}" and "${other}" are the same entry when case is ignored`,
            { at: 'key' },
          );
        seen.set(key.toLowerCase(), key);
      }
    }
  }
  checkFieldRules(raw.fields, ['fields'], tables, report, false);
  for (const [index, rule] of (raw.passThrough ?? []).entries()) {
    if (rule.from !== undefined && !isValidSourcePath(rule.from))
      report(['passThrough', index, 'from'], notAPath(rule.from, 'a source path'));
    if (rule.into !== undefined && !isValidTargetPath(rule.into))
      report(['passThrough', index, 'into'], notAPath(rule.into, 'an output path'));
    if (!/^[A-Za-z0-9_*.-]+$/.test(rule.match))
      report(['passThrough', index, 'match'], 'a key pattern has letters, digits, _ and * wildcards only');
  }
}

function checkFieldRules(
  fields: Record<string, RawFieldRule>,
  at: ConfigPath,
  tables: readonly string[],
  report: ReportConfigIssue,
  insideEach: boolean,
): void {
  const targets = Object.keys(fields);
  for (const target of targets) {
    const path = [...at, target];
    if (!isValidTargetPath(target))
      report(path, notAPath(target, 'an output path (identifiers separated by dots)'), { at: 'key' });
    const parent = targets.find((other) => target.startsWith(`${other}.`));
    if (parent !== undefined)
      report(path, `"${target}" is inside "${parent}", which is mapped as a whole; map one or the other`, {
        at: 'key',
      });
    const rule = fields[target];
    if (rule) checkFieldRule(rule, path, tables, report, insideEach);
  }
}

function checkFieldRule(
  rule: RawFieldRule,
  at: ConfigPath,
  tables: readonly string[],
  report: ReportConfigIssue,
  insideEach: boolean,
): void {
  const sources = SOURCE_KEYS.filter((key) => rule[key] !== undefined);
  if (sources.length !== 1) {
    report(
      at,
      sources.length === 0
        ? 'says nowhere where its value comes from: give one of from, const, join, list or each'
        : `has ${sources.join(' and ')}; give only one of from, const, join, list or each`,
    );
  }
  const checkPath = (path: string, where: ConfigPath): void => {
    if (!isValidSourcePath(path))
      report(where, notAPath(path, 'a source path (keys separated by dots, list positions as numbers)'));
    else if (path.startsWith(ROOT_PREFIX) && !insideEach)
      report(where, `${ROOT_PREFIX} is only needed inside an each: rule`);
  };
  if (typeof rule.from === 'string') checkPath(rule.from, [...at, 'from']);
  if (Array.isArray(rule.from)) rule.from.forEach((path, index) => checkPath(path, [...at, 'from', index]));
  rule.join?.forEach((path, index) => checkPath(path, [...at, 'join', index]));
  rule.list?.forEach((path, index) => checkPath(path, [...at, 'list', index]));
  if (rule.list !== undefined && rule.as !== undefined)
    report([...at, 'as'], 'as does not apply to a list: rule; its parts are copied as text');
  if (rule.separator !== undefined && rule.join === undefined)
    report([...at, 'separator'], 'separator only applies to join');
  if (rule.each !== undefined) {
    checkPath(rule.each, [...at, 'each']);
    if (rule.fields === undefined) report(at, 'an each: rule needs fields: saying how every item is mapped');
    else checkFieldRules(rule.fields, [...at, 'fields'], tables, report, true);
    for (const key of ['as', 'translate', 'default'] as const) {
      if (rule[key] !== undefined)
        report([...at, key], `${key} does not apply to an each: rule; put it on the item fields`);
    }
  } else if (rule.fields !== undefined) {
    report([...at, 'fields'], 'fields: only applies to an each: rule');
  }

  const allowed = rule.as ? HARMONISER_OPTIONS[rule.as] : [];
  for (const option of OPTION_NAMES) {
    if (rule[option] === undefined || allowed.includes(option)) continue;
    report(
      [...at, option],
      rule.as
        ? `${option} does not apply to as: ${rule.as}`
        : `${option} needs an as: value type it applies to`,
    );
  }
  if (rule.as === 'address-line') {
    if (rule.line === undefined || rule.of === undefined)
      report(at, 'as: address-line needs line: (which line, from 1) and of: (how many lines the target has)');
    else if (rule.line > rule.of) report([...at, 'line'], `line ${rule.line} is beyond of: ${rule.of}`);
  }
  if (typeof rule.defaultCountry === 'string' && !isCountryCode(rule.defaultCountry))
    report([...at, 'defaultCountry'], `"${rule.defaultCountry}" is not an ISO 3166-1 alpha-2 country code`);
  if (typeof rule.defaultCountry === 'object') {
    const paths = rule.defaultCountry.from;
    if (typeof paths === 'string') checkPath(paths, [...at, 'defaultCountry', 'from']);
    else paths.forEach((path, index) => checkPath(path, [...at, 'defaultCountry', 'from', index]));
  }
  if (rule.timeZone !== undefined && !isTimeZone(rule.timeZone))
    report([...at, 'timeZone'], `"${rule.timeZone}" is not an IANA time zone such as Europe/Paris`);
  if (rule.format !== undefined && !isDateFormat(rule.format))
    report([...at, 'format'], `"${rule.format}" must contain YYYY, MM and DD once each, e.g. DD/MM/YYYY`);
  if (rule.translate !== undefined && !tables.includes(rule.translate)) {
    const suggestion = closestName(rule.translate, tables);
    report(
      [...at, 'translate'],
      `there is no translation table "${rule.translate}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}`,
    );
  }
  if (rule.required && rule.default !== undefined)
    report([...at, 'required'], 'a field with a default is never missing; drop required or default');
  if (rule.when) checkCondition(rule.when, [...at, 'when'], report, insideEach);
}

function checkCondition(
  condition: RawCondition,
  at: ConfigPath,
  report: ReportConfigIssue,
  insideEach: boolean,
): void {
  const combinators = (['all', 'any', 'not', 'field'] as const).filter((key) => condition[key] !== undefined);
  if (combinators.length !== 1) {
    report(at, 'a condition is exactly one of all: [...], any: [...], not: {...} or field: with one test');
    return;
  }
  condition.all?.forEach((inner, index) => checkCondition(inner, [...at, 'all', index], report, insideEach));
  condition.any?.forEach((inner, index) => checkCondition(inner, [...at, 'any', index], report, insideEach));
  if (condition.not) checkCondition(condition.not, [...at, 'not'], report, insideEach);
  if (condition.field === undefined) {
    const stray = OPERATORS.filter((key) => condition[key] !== undefined);
    if (stray.length > 0) report(at, `${stray.join(', ')} needs a field:`);
    return;
  }
  if (!isValidSourcePath(condition.field))
    report([...at, 'field'], notAPath(condition.field, 'a source path'));
  const operators = OPERATORS.filter((key) => condition[key] !== undefined);
  if (operators.length !== 1)
    report(
      at,
      `a field condition has exactly one test (${OPERATORS.join(', ')}); this one has ${operators.length}`,
    );
  if (condition.matches !== undefined) {
    try {
      new RegExp(condition.matches);
    } catch {
      report([...at, 'matches'], `"${condition.matches}" is not a valid regular expression`);
    }
  }
}

function toTemplate(raw: RawMappingTemplate, fileName: string): MappingTemplate {
  const translations = new Map<string, TranslationTable>();
  for (const [name, table] of Object.entries(raw.translations ?? {})) {
    const ignoreCase = table.ignoreCase ?? false;
    const entries = new Map(
      Object.entries(table.entries).map(([key, entry]) => [
        ignoreCase ? key.trim().toLowerCase() : key.trim(),
        entry !== null && typeof entry === 'object'
          ? { value: entry.value, ...(entry.label !== undefined ? { label: entry.label } : {}) }
          : { value: entry },
      ]),
    );
    const otherwise: TranslationTable['otherwise'] =
      table.otherwise === undefined || table.otherwise === 'reject'
        ? { kind: 'reject' }
        : table.otherwise === 'keep'
          ? { kind: 'keep' }
          : { kind: 'value', value: table.otherwise.value };
    translations.set(name, {
      name,
      ...(table.description !== undefined ? { description: table.description } : {}),
      ignoreCase,
      entries,
      otherwise,
    });
  }
  const passThrough: PassThroughRule[] = (raw.passThrough ?? []).map((rule) => ({
    ...(rule.from !== undefined ? { from: rule.from } : {}),
    match: rule.match,
    ...(rule.into !== undefined ? { into: rule.into } : {}),
    except: rule.except ?? [],
  }));
  return {
    name: raw.template,
    version: raw.version,
    id: `${raw.template}@${raw.version}`,
    ...(raw.description !== undefined ? { description: raw.description } : {}),
    source: raw.source,
    target: raw.target,
    ...(raw.when ? { when: toCondition(raw.when) } : {}),
    translations,
    fields: toFieldRules(raw.fields),
    passThrough,
    fileName,
  };
}

function toFieldRules(fields: Record<string, RawFieldRule>): FieldRule[] {
  return Object.entries(fields).map(([target, rule]) => toFieldRule(target, rule));
}

function toFieldRule(target: string, rule: RawFieldRule): FieldRule {
  let source: FieldSource;
  if (rule.each !== undefined)
    source = { kind: 'each', path: rule.each, fields: toFieldRules(rule.fields ?? {}) };
  else if (rule.join !== undefined)
    source = { kind: 'join', paths: rule.join, separator: rule.separator ?? ' ' };
  else if (rule.list !== undefined) source = { kind: 'list', paths: rule.list };
  else if (rule.const !== undefined) source = { kind: 'const', value: rule.const };
  else source = { kind: 'path', paths: typeof rule.from === 'string' ? [rule.from] : (rule.from ?? []) };

  const options: { -readonly [K in keyof HarmoniserOptions]: HarmoniserOptions[K] } = {};
  if (rule.maxLength !== undefined) options.maxLength = rule.maxLength;
  if (rule.case !== undefined) options.case = rule.case;
  if (typeof rule.defaultCountry === 'string') options.defaultCountry = rule.defaultCountry.toUpperCase();
  if (rule.format !== undefined) options.format = rule.format;
  if (rule.timeZone !== undefined) options.timeZone = rule.timeZone;
  if (rule.decimalSeparator !== undefined) options.decimalSeparator = rule.decimalSeparator;
  if (rule.aliases !== undefined) options.aliases = rule.aliases;
  if (rule.line !== undefined) options.line = rule.line;
  if (rule.of !== undefined) options.of = rule.of;

  return {
    target,
    source,
    ...(rule.as !== undefined ? { as: rule.as } : {}),
    options,
    ...(typeof rule.defaultCountry === 'object'
      ? {
          defaultCountryFrom:
            typeof rule.defaultCountry.from === 'string'
              ? [rule.defaultCountry.from]
              : rule.defaultCountry.from,
        }
      : {}),
    ...(rule.translate !== undefined ? { translate: rule.translate } : {}),
    ...(rule.default !== undefined ? { default: rule.default } : {}),
    required: rule.required ?? false,
    emptyValues: (rule.emptyValues ?? []).map(String),
    ...(rule.when ? { when: toCondition(rule.when) } : {}),
    onInvalid: rule.onInvalid ?? 'reject',
    ...(rule.description !== undefined ? { description: rule.description } : {}),
  };
}

function toCondition(raw: RawCondition): Condition {
  if (raw.all) return { kind: 'all', conditions: raw.all.map(toCondition) };
  if (raw.any) return { kind: 'any', conditions: raw.any.map(toCondition) };
  if (raw.not) return { kind: 'not', condition: toCondition(raw.not) };
  const field = raw.field ?? '';
  const ignoreCase = raw.ignoreCase ?? false;
  const make = (operator: ConditionOperator, operand?: Scalar | readonly Scalar[]): Condition => ({
    kind: 'field',
    field,
    operator,
    ignoreCase,
    ...(operand !== undefined ? { operand } : {}),
  });
  if (raw.equals !== undefined) return make('equals', raw.equals);
  if (raw.notEquals !== undefined) return make('notEquals', raw.notEquals);
  if (raw.in !== undefined) return make('in', raw.in);
  if (raw.notIn !== undefined) return make('notIn', raw.notIn);
  if (raw.matches !== undefined) return make('matches', raw.matches);
  if (raw.greaterThan !== undefined) return make('greaterThan', raw.greaterThan);
  if (raw.lessThan !== undefined) return make('lessThan', raw.lessThan);
  return make(raw.present === false ? 'absent' : 'present');
}
