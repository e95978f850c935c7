import { parseYamlConfig } from '@pardot-x3/mapping';
import { z } from 'zod';
import { REJECTION_KINDS, type SalesOrderPolicy } from './sales-order-policy.types.js';

const schema = z.strictObject({
  version: z.number().int().min(1),
  eligibility: z.strictObject({
    wonStageNames: z.array(z.string().min(1)).min(1),
    requireLineItems: z.boolean().optional(),
    requireProducts: z.boolean().optional(),
  }),
  x3Rejections: z.array(
    z.strictObject({ kind: z.enum(REJECTION_KINDS), patterns: z.array(z.string().min(1)).min(1) }),
  ),
});

/** Reads config/sales-orders.yaml; patterns are case-insensitive regular expressions. */
export function parseSalesOrderPolicy(text: string, fileName: string): SalesOrderPolicy {
  const raw = parseYamlConfig(text, fileName, schema, (policy, report) => {
    policy.x3Rejections.forEach((rejection, index) =>
      rejection.patterns.forEach((pattern, at) => {
        try {
          new RegExp(pattern, 'i');
        } catch {
          report(['x3Rejections', index, 'patterns', at], `"${pattern}" is not a valid regular expression`);
        }
      }),
    );
  });
  return {
    version: raw.version,
    eligibility: {
      wonStageNames: raw.eligibility.wonStageNames,
      requireLineItems: raw.eligibility.requireLineItems ?? true,
      requireProducts: raw.eligibility.requireProducts ?? true,
    },
    rejections: raw.x3Rejections.map((rejection) => ({
      kind: rejection.kind,
      patterns: rejection.patterns.map((pattern) => new RegExp(pattern, 'i')),
    })),
  };
}
