import { readConfigFile, type ConfigDirectoryConfig } from '@pardot-x3/config';
import { parseMappingTemplate, type MappingTemplate } from '@pardot-x3/mapping';
import {
  CUSTOMER_WRITE_TARGETS,
  TEMPLATE_OF_TARGET,
  type CustomerWriteTarget,
} from './customer-write-target.js';

/** Injection token of the templates golden records are written with, by target. */
export const CUSTOMER_WRITE_TEMPLATES = Symbol.for('pardot-x3.pardot-writer.customer-write-templates');

export type CustomerWriteTemplates = Readonly<Record<CustomerWriteTarget, MappingTemplate>>;

/** Reads and checks `golden-to-pardot-prospect`, `golden-to-salesforce-contact` and `-account` at boot. */
export function loadCustomerWriteTemplates(config: ConfigDirectoryConfig): CustomerWriteTemplates {
  const entries = CUSTOMER_WRITE_TARGETS.map((target) => {
    const file = readConfigFile(config, `mappings/${TEMPLATE_OF_TARGET[target]}.yaml`);
    return [target, parseMappingTemplate(file.text, file.fileName)] as const;
  });
  return Object.fromEntries(entries) as Record<CustomerWriteTarget, MappingTemplate>;
}
