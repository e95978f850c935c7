import { parseYamlConfig } from '@pardot-x3/mapping';
import { z } from 'zod';
import { DEFAULT_LEGAL_FORMS } from './match-value.normaliser.js';
import { MATCH_FIELDS, type MatchingPolicy } from './matching-policy.types.js';

const matchField = z.enum(MATCH_FIELDS);
const schema = z.strictObject({
  version: z.number().int().min(1),
  rules: z
    .array(
      z.strictObject({
        name: z
          .string()
          .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be a kebab-case name such as company-and-postcode'),
        fields: z.array(matchField).min(1),
        canMerge: z.boolean().optional(),
        unlessConflicting: z.array(matchField).optional(),
      }),
    )
    .min(1),
  legalForms: z.array(z.string().min(1)).optional(),
});

/** Reads config/matching.yaml (see docs/customer-master.md); errors point at the line. */
export function parseMatchingPolicy(text: string, fileName: string): MatchingPolicy {
  const raw = parseYamlConfig(text, fileName, schema, (policy, report) => {
    const seen = new Set<string>();
    policy.rules.forEach((rule, index) => {
      if (seen.has(rule.name))
        report(['rules', index, 'name'], `a rule named "${rule.name}" is already defined`);
      seen.add(rule.name);
      if (new Set(rule.fields).size !== rule.fields.length)
        report(['rules', index, 'fields'], 'lists a field twice');
      rule.unlessConflicting?.forEach((field, at) => {
        if (rule.fields.includes(field))
          report(
            ['rules', index, 'unlessConflicting', at],
            `${field} is compared by the rule itself; it cannot also be a conflict`,
          );
      });
    });
  });
  return {
    version: raw.version,
    rules: raw.rules.map((rule) => ({
      name: rule.name,
      fields: rule.fields,
      canMerge: rule.canMerge ?? false,
      unlessConflicting: rule.unlessConflicting ?? [],
    })),
    legalForms: (raw.legalForms ?? DEFAULT_LEGAL_FORMS).map((form) => form.toLowerCase()),
  };
}
