import { evaluateCondition, isEmptyValue } from '../conditions/condition.evaluator.js';
import { countryCodeOf } from '../harmonisation/country.harmoniser.js';
import type { ValueProblemCode } from '../harmonisation/harmonisation.types.js';
import { harmonise, type HarmoniserOptions } from '../harmonisation/harmoniser.registry.js';
import { displayValue, kindOf, scalarText } from '../harmonisation/value-display.util.js';
import type {
  FieldRule,
  JsonValue,
  MappingTemplate,
  PassThroughRule,
} from '../template/mapping-template.types.js';
import { FORBIDDEN_KEYS_RULE, forbiddenKeyPaths, nullPrototypeRecord } from '../safe-keys/safe-keys.util.js';
import {
  readSourcePath,
  toJsonValue,
  topLevelKey,
  writeTargetPath,
  type PathScope,
} from '../template/source-path.util.js';
import { translateValue } from '../translation/translation-table.js';
import { describeFieldRule } from './field-rule.describer.js';
import type {
  FieldProblem,
  FieldTrace,
  MappedRecord,
  MappingResult,
  QuarantinedField,
} from './mapping-result.types.js';

/** Salesforce REST adds `attributes` (type and URL) to every record: metadata, not data. */
const METADATA_KEYS = new Set(['attributes']);

interface MappingRun {
  readonly template: MappingTemplate;
  readonly problems: FieldProblem[];
  readonly warnings: FieldProblem[];
  readonly quarantined: QuarantinedField[];
  readonly trace: FieldTrace[];
  readonly consumed: Set<string>;
}

interface SourceValue {
  /** undefined: the source does not carry it; null: the source says it is empty. */
  readonly value: unknown;
  readonly path?: string;
}

/**
 * Maps one source record with a template: field mapping, value translation, harmonisation and
 * conditional rules. Pure and deterministic; never throws for bad data: a record with problems comes
 * back `rejected` with every problem named, one whose template condition fails comes back `skipped`.
 * A record with a key named `__proto__`, `constructor` or `prototype` at any depth is rejected before
 * anything reads it (code `forbidden-key`, one problem per such key).
 */
export function mapRecord(template: MappingTemplate, source: unknown): MappingResult {
  const base = { templateId: template.id, ...recordIdOf(template, source) };
  if (source === null || typeof source !== 'object' || Array.isArray(source)) {
    const problem: FieldProblem = {
      field: '',
      code: 'wrong-type',
      message: `the source record is ${kindOf(source)}, not a record of ${template.source.entity}`,
    };
    return { ...base, outcome: 'rejected', problems: [problem], warnings: [], trace: [] };
  }
  const forbidden = forbiddenKeyProblems(source);
  if (forbidden.length > 0)
    return { ...base, outcome: 'rejected', problems: forbidden, warnings: [], trace: [] };
  const scope: PathScope = { root: source, current: source };
  if (template.when) {
    const condition = evaluateCondition(template.when, scope);
    if (!condition.holds) return { ...base, outcome: 'skipped', reason: condition.explanation, trace: [] };
  }
  const run: MappingRun = {
    template,
    problems: [],
    warnings: [],
    quarantined: [],
    trace: [],
    consumed: new Set(),
  };
  const record: MappedRecord = {};
  mapFields(run, template.fields, scope, '', record, true);
  for (const rule of template.passThrough) passThrough(run, rule, source as Record<string, unknown>, record);

  if (run.problems.length > 0)
    return { ...base, outcome: 'rejected', problems: run.problems, warnings: run.warnings, trace: run.trace };
  const unmappedSourceFields = Object.keys(source)
    .filter((key) => !run.consumed.has(key) && !METADATA_KEYS.has(key))
    .sort();
  return {
    ...base,
    outcome: 'mapped',
    record,
    warnings: run.warnings,
    quarantined: run.quarantined,
    trace: run.trace,
    unmappedSourceFields,
  };
}

/**
 * One `forbidden-key` problem per key named `__proto__`, `constructor` or `prototype` in a source record,
 * at any depth: `the source field Account.__proto__ is refused: __proto__, constructor and prototype are
 * not allowed as field names`. Empty for a clean record.
 */
export function forbiddenKeyProblems(source: unknown): FieldProblem[] {
  return forbiddenKeyPaths(source).map((path) => ({
    field: '',
    code: 'forbidden-key',
    message: `the source field ${path} is refused: ${FORBIDDEN_KEYS_RULE}`,
    sourcePath: path,
  }));
}

function recordIdOf(template: MappingTemplate, source: unknown): { recordId?: string } {
  if (!template.source.id) return {};
  const id = scalarText(readSourcePath({ root: source, current: source }, template.source.id));
  return id === undefined || id.trim() === '' ? {} : { recordId: id.trim() };
}

function mapFields(
  run: MappingRun,
  rules: readonly FieldRule[],
  scope: PathScope,
  prefix: string,
  output: MappedRecord,
  topLevel: boolean,
): void {
  for (const rule of rules) mapField(run, rule, scope, prefix, output, topLevel);
}

function mapField(
  run: MappingRun,
  rule: FieldRule,
  scope: PathScope,
  prefix: string,
  output: MappedRecord,
  topLevel: boolean,
): void {
  const field = `${prefix}${rule.target}`;
  const ruleText = describeFieldRule(rule);
  const trace = (entry: Omit<FieldTrace, 'field' | 'rule'>): void =>
    void run.trace.push({ field, rule: ruleText, ...entry });
  const problem = (
    code: ValueProblemCode,
    message: string,
    from: SourceValue,
    severity: 'problem' | 'warning' = 'problem',
  ): void => {
    const entry: FieldProblem = {
      field,
      code,
      message,
      ...(from.path ? { sourcePath: from.path } : {}),
      ...(from.value !== undefined ? { value: toJsonValue(from.value) } : {}),
    };
    (severity === 'problem' ? run.problems : run.warnings).push(entry);
  };
  const quarantine = (code: ValueProblemCode, reason: string, from: SourceValue): void =>
    void run.quarantined.push({
      field,
      rule: code,
      reason,
      ...(from.path ? { sourceField: from.path } : {}),
    });

  if (rule.when) {
    const condition = evaluateCondition(rule.when, scope);
    if (!condition.holds) return trace({ outcome: 'skipped', note: condition.explanation });
  }
  if (topLevel) markConsumed(run, rule);

  if (rule.source.kind === 'each') {
    const items = readSourcePath(scope, rule.source.path);
    const from: SourceValue = { value: items, path: rule.source.path };
    if (items === undefined || items === null) {
      if (rule.required)
        return problem(
          'required',
          `${field} is required, but ${rule.source.path} ${items === undefined ? 'is missing' : 'is empty'}`,
          from,
        );
      if (items === null) writeTargetPath(output, rule.target, null);
      return trace({ outcome: items === undefined ? 'unknown' : 'cleared' });
    }
    if (!Array.isArray(items))
      return problem('not-a-list', `${field}: ${rule.source.path} is ${kindOf(items)}, not a list`, from);
    if (rule.required && items.length === 0)
      return problem('required', `${field} is required, but ${rule.source.path} is an empty list`, from);
    const mapped = items.map((item, index) => {
      const itemOutput: MappedRecord = {};
      mapFields(
        run,
        rule.source.kind === 'each' ? rule.source.fields : [],
        { root: scope.root, current: item },
        `${field}[${index}].`,
        itemOutput,
        false,
      );
      return itemOutput;
    });
    writeTargetPath(output, rule.target, mapped);
    return trace({ outcome: 'set', note: `${items.length} item${items.length === 1 ? '' : 's'}` });
  }

  const from = readFieldSource(rule, scope);
  if (from.problem) return problem('wrong-type', `${field}: ${from.problem}`, from);
  let value: unknown = from.value;
  let note: string | undefined;
  let outcome: FieldTrace['outcome'] = 'set';
  const described = (v: unknown): string => `${displayValue(v)}${from.path ? ` (from ${from.path})` : ''}`;

  if (!isEmptyValue(value) && rule.translate) {
    const table = run.template.translations.get(rule.translate);
    const translated = table ? translateValue(table, value) : undefined;
    if (translated && !translated.ok) {
      if (rule.onInvalid === 'warn') {
        problem(
          translated.code,
          `${field}: ${described(value)} ${translated.problem}; left unknown`,
          from,
          'warning',
        );
        quarantine(translated.code, translated.problem, from);
        return trace({ outcome: 'invalid', note: translated.problem });
      }
      return problem(translated.code, `${field}: ${described(value)} ${translated.problem}`, from);
    }
    if (translated?.ok) {
      value = translated.value.value;
      note = translated.value.note;
    }
  }

  if (isEmptyValue(value)) {
    if (rule.default !== undefined) {
      note = from.path
        ? `${from.path} ${from.value === undefined ? 'is missing' : 'is empty'}; default used`
        : 'default used';
      value = rule.default;
      outcome = 'defaulted';
    } else if (rule.required) {
      return problem('required', `${field} is required, but ${describeMissing(rule, from)}`, from);
    } else if (value === undefined) {
      return trace({ outcome: 'unknown', ...(note ? { note } : {}) });
    } else {
      writeTargetPath(output, rule.target, null);
      return trace({ outcome: 'cleared', value: null, ...(note ? { note } : {}) });
    }
  }

  let result: JsonValue = toJsonValue(value);
  if (rule.as) {
    const harmonised = harmonise(rule.as, value, resolveOptions(rule, scope));
    if (!harmonised.ok) {
      if (rule.onInvalid === 'warn') {
        problem(
          harmonised.code,
          `${field}: ${described(value)} ${harmonised.problem}; left unknown`,
          { ...from, value },
          'warning',
        );
        quarantine(harmonised.code, harmonised.problem, from);
        return trace({ outcome: 'invalid', note: harmonised.problem });
      }
      return problem(harmonised.code, `${field}: ${described(value)} ${harmonised.problem}`, {
        ...from,
        value,
      });
    }
    if (harmonised.note) {
      problem(
        'information-lost',
        `${field}: ${described(value)}: ${harmonised.note}`,
        { ...from, value },
        'warning',
      );
      note = note ? `${note}; ${harmonised.note}` : harmonised.note;
    }
    result = harmonised.value;
    if (result === null) outcome = 'cleared';
  }
  writeTargetPath(output, rule.target, result);
  trace({ outcome, value: result, ...(note ? { note } : {}) });
}

function readFieldSource(rule: FieldRule, scope: PathScope): SourceValue & { problem?: string } {
  const isEmpty = (value: unknown): boolean =>
    isEmptyValue(value) ||
    (scalarText(value) !== undefined && rule.emptyValues.includes(String(scalarText(value)).trim()));
  const { source } = rule;
  switch (source.kind) {
    case 'const':
      return { value: source.value };
    case 'path': {
      let sawEmpty: SourceValue | undefined;
      for (const path of source.paths) {
        const value = readSourcePath(scope, path);
        if (value === undefined) continue;
        if (isEmpty(value)) sawEmpty ??= { value: null, path };
        else return { value, path };
      }
      return (
        sawEmpty ?? { value: undefined, ...(source.paths.length === 1 ? { path: source.paths[0] } : {}) }
      );
    }
    case 'join': {
      const values = source.paths.map((path) => ({ path, value: readSourcePath(scope, path) }));
      const wrong = values.find(
        ({ value }) => value !== undefined && value !== null && scalarText(value) === undefined,
      );
      if (wrong)
        return {
          value: wrong.value,
          path: wrong.path,
          problem: `${wrong.path} is ${kindOf(wrong.value)}, which cannot be joined as text`,
        };
      const parts = values
        .filter(({ value }) => !isEmpty(value))
        .map(({ value }) => String(scalarText(value)).trim());
      if (parts.length > 0) return { value: parts.join(source.separator) };
      return { value: values.every(({ value }) => value === undefined) ? undefined : null };
    }
    case 'list': {
      const values = source.paths.map((path) => ({ path, value: readSourcePath(scope, path) }));
      const wrong = values.find(
        ({ value }) => value !== undefined && value !== null && scalarText(value) === undefined,
      );
      if (wrong)
        return {
          value: wrong.value,
          path: wrong.path,
          problem: `${wrong.path} is ${kindOf(wrong.value)}, which cannot be a line of text`,
        };
      if (values.every(({ value }) => value === undefined)) return { value: undefined };
      if (values.every(({ value }) => isEmpty(value))) return { value: null };
      return { value: values.map(({ value }) => (isEmpty(value) ? '' : String(scalarText(value)).trim())) };
    }
    case 'each':
      return { value: undefined };
  }
}

function describeMissing(rule: FieldRule, from: SourceValue): string {
  const state = from.value === undefined ? 'is missing' : 'is empty';
  if (from.path) return `${from.path} ${state}`;
  const { source } = rule;
  if (
    (source.kind === 'path' || source.kind === 'join' || source.kind === 'list') &&
    source.paths.length > 1
  ) {
    return `none of ${source.paths.join(', ')} has a value`;
  }
  return `its source ${state}`;
}

function resolveOptions(rule: FieldRule, scope: PathScope): HarmoniserOptions {
  if (!rule.defaultCountryFrom) return rule.options;
  for (const path of rule.defaultCountryFrom) {
    const country = scalarText(readSourcePath(scope, path))?.trim();
    const code = country ? countryCodeOf(country) : undefined;
    if (code !== undefined) return { ...rule.options, defaultCountry: code };
  }
  return rule.options;
}

function markConsumed(run: MappingRun, rule: FieldRule): void {
  const paths: string[] = [];
  const { source } = rule;
  if (source.kind === 'path' || source.kind === 'join' || source.kind === 'list') paths.push(...source.paths);
  if (source.kind === 'each') paths.push(source.path);
  for (const path of paths) {
    const key = topLevelKey(path);
    if (key !== undefined) run.consumed.add(key);
  }
}

function passThrough(
  run: MappingRun,
  rule: PassThroughRule,
  source: Record<string, unknown>,
  output: MappedRecord,
): void {
  const container =
    rule.from === undefined ? source : readSourcePath({ root: source, current: source }, rule.from);
  if (rule.from !== undefined) {
    const key = topLevelKey(rule.from);
    if (key !== undefined) run.consumed.add(key);
  }
  if (container === null || typeof container !== 'object' || Array.isArray(container)) return;
  const pattern = new RegExp(`^${rule.match.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  // Keys come from the source record; a null-prototype record keeps any of them an ordinary key.
  const copied = nullPrototypeRecord<JsonValue>();
  for (const [key, value] of Object.entries(container)) {
    if (!pattern.test(key) || rule.except.includes(key) || METADATA_KEYS.has(key)) continue;
    if (rule.from === undefined && run.consumed.has(key)) continue;
    if (value === undefined) continue;
    copied[key] = value === null ? null : (scalarText(value) ?? JSON.stringify(value));
    if (rule.from === undefined) run.consumed.add(key);
  }
  const keys = Object.keys(copied);
  if (keys.length === 0 && rule.into === undefined) return;
  for (const key of keys)
    writeTargetPath(output, rule.into ? `${rule.into}.${key}` : key, copied[key] ?? null);
  if (rule.into !== undefined && keys.length === 0) writeTargetPath(output, rule.into, {});
  run.trace.push({
    field: rule.into ?? '(root)',
    rule: `pass through ${rule.match}${rule.from ? ` from ${rule.from}` : ''}`,
    outcome: 'set',
    note: keys.length > 0 ? `copied ${keys.join(', ')}` : 'nothing to copy',
  });
}
