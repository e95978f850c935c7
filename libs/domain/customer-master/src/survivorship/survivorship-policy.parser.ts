import { parseYamlConfig } from '@pardot-x3/mapping';
import { z } from 'zod';
import { MASTERED_FIELDS, SOURCE_SYSTEMS, type MasteredField } from '../customer/customer-field.constants.js';
import type { SurvivorshipPolicy, SurvivorshipRule } from './survivorship-policy.types.js';

const system = z.enum(['X3', 'SALESFORCE', 'PARDOT']);
const ruleSchema = z.strictObject({
  rule: z.enum(['system-of-record', 'last-writer-wins', 'source-priority']),
  system: system.optional(),
  otherwise: z.enum(['last-writer-wins', 'none']).optional(),
  systems: z.array(system).min(1).optional(),
});
type RawRule = z.infer<typeof ruleSchema>;

const schema = z.strictObject({
  version: z.number().int().min(1),
  tieBreak: z.array(system).optional(),
  default: ruleSchema,
  customFields: ruleSchema.optional(),
  fields: z.record(z.string(), ruleSchema),
});

/** Reads config/survivorship.yaml (see docs/customer-master.md); errors point at the line. */
export function parseSurvivorshipPolicy(text: string, fileName: string): SurvivorshipPolicy {
  const raw = parseYamlConfig(text, fileName, schema, (policy, report) => {
    const checkRule = (rule: RawRule, at: (string | number)[]): void => {
      if (rule.rule === 'system-of-record' && rule.system === undefined)
        report(at, 'a system-of-record rule names its system: X3, SALESFORCE or PARDOT');
      if (rule.rule !== 'system-of-record' && rule.system !== undefined)
        report([...at, 'system'], `system only applies to rule: system-of-record`);
      if (rule.rule !== 'system-of-record' && rule.otherwise !== undefined)
        report([...at, 'otherwise'], `otherwise only applies to rule: system-of-record`);
      if (rule.rule === 'source-priority' && rule.systems === undefined)
        report(at, 'a source-priority rule lists its systems in order, e.g. [X3, SALESFORCE, PARDOT]');
      if (rule.rule !== 'source-priority' && rule.systems !== undefined)
        report([...at, 'systems'], `systems only applies to rule: source-priority`);
      if (rule.systems && new Set(rule.systems).size !== rule.systems.length)
        report([...at, 'systems'], 'lists a system twice');
    };
    checkRule(policy.default, ['default']);
    if (policy.customFields) checkRule(policy.customFields, ['customFields']);
    for (const [field, rule] of Object.entries(policy.fields)) {
      if (!(MASTERED_FIELDS as readonly string[]).includes(field)) {
        report(
          ['fields', field],
          `"${field}" is not a mastered field; the fields are ${MASTERED_FIELDS.join(', ')} (custom fields use customFields:)`,
          { at: 'key' },
        );
      }
      checkRule(rule, ['fields', field]);
    }
    if (policy.tieBreak && (new Set(policy.tieBreak).size !== 3 || policy.tieBreak.length !== 3))
      report(['tieBreak'], 'lists X3, SALESFORCE and PARDOT, each once');
  });
  const toRule = (rule: RawRule): SurvivorshipRule => {
    if (rule.rule === 'system-of-record')
      return {
        kind: 'system-of-record',
        system: rule.system ?? 'X3',
        otherwise: rule.otherwise ?? 'last-writer-wins',
      };
    if (rule.rule === 'source-priority') return { kind: 'source-priority', systems: rule.systems ?? [] };
    return { kind: 'last-writer-wins' };
  };
  const fallback = toRule(raw.default);
  const fields = Object.fromEntries(
    MASTERED_FIELDS.map((field) => [field, raw.fields[field] ? toRule(raw.fields[field]) : fallback]),
  ) as Record<MasteredField, SurvivorshipRule>;
  return {
    version: raw.version,
    fields,
    customFields: raw.customFields ? toRule(raw.customFields) : fallback,
    tieBreak: raw.tieBreak ?? [...SOURCE_SYSTEMS],
  };
}
