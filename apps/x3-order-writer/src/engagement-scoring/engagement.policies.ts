import { readConfigFile, type ConfigDirectoryConfig } from '@pardot-x3/config';
import { parseEngagementPolicy, type EngagementPolicy } from '@pardot-x3/engagement';
import { parseMappingTemplate, type MappingTemplate } from '@pardot-x3/mapping';

/** Injection token of the engagement configuration, read from the configuration folder at boot. */
export const ENGAGEMENT_POLICIES = Symbol.for('x3-order-writer.engagement-policies');

export interface EngagementPolicies {
  /** config/engagement.yaml: weights, half-life, horizon, cap. */
  readonly policy: EngagementPolicy;
  /** config/mappings/engagement-to-x3-customer.yaml: which X3 customer fields receive score and date. */
  readonly toX3Customer: MappingTemplate;
}

export function loadEngagementPolicies(config: ConfigDirectoryConfig): EngagementPolicies {
  const policy = readConfigFile(config, 'engagement.yaml');
  const template = readConfigFile(config, 'mappings/engagement-to-x3-customer.yaml');
  return {
    policy: parseEngagementPolicy(policy.text, policy.fileName),
    toX3Customer: parseMappingTemplate(template.text, template.fileName),
  };
}
