import type { FieldRule } from '../template/mapping-template.types.js';

/** Rules are parsed once and never change: each is described once (the engine traces every field of every record). */
const descriptions = new WeakMap<FieldRule, string>();

/** A field rule in words, as previews and traces show it: `from BPCNAM, as text (at most 35)`. */
export function describeFieldRule(rule: FieldRule): string {
  let text = descriptions.get(rule);
  if (text === undefined) {
    text = describe(rule);
    descriptions.set(rule, text);
  }
  return text;
}

function describe(rule: FieldRule): string {
  const parts: string[] = [];
  const { source } = rule;
  if (source.kind === 'path') parts.push(`from ${source.paths.join(' or ')}`);
  if (source.kind === 'const') parts.push(`constant ${JSON.stringify(source.value)}`);
  if (source.kind === 'join') parts.push(`join ${source.paths.join(' + ')}`);
  if (source.kind === 'list') parts.push(`list of ${source.paths.join(', ')}`);
  if (source.kind === 'each') parts.push(`each item of ${source.path}`);
  if (rule.translate) parts.push(`translated by ${rule.translate}`);
  if (rule.as) {
    const details: string[] = [];
    const { options } = rule;
    if (options.maxLength !== undefined) details.push(`at most ${options.maxLength}`);
    if (options.case) details.push(`${options.case} case`);
    if (options.defaultCountry) details.push(`default country ${options.defaultCountry}`);
    if (rule.defaultCountryFrom) details.push(`country from ${rule.defaultCountryFrom.join(' or ')}`);
    if (options.format) details.push(`read as ${options.format}`);
    if (options.timeZone) details.push(`in ${options.timeZone}`);
    if (options.line !== undefined) details.push(`line ${options.line} of ${options.of ?? options.line}`);
    parts.push(`as ${rule.as}${details.length > 0 ? ` (${details.join(', ')})` : ''}`);
  }
  if (rule.default !== undefined) parts.push(`default ${JSON.stringify(rule.default)}`);
  if (rule.required) parts.push('required');
  if (rule.when) parts.push('conditional');
  return parts.join(', ');
}
