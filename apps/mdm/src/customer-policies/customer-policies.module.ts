import { Global, Module } from '@nestjs/common';
import { readConfigFile } from '@pardot-x3/config';
import {
  parseMatchingPolicy,
  parseSurvivorshipPolicy,
  type CustomerMasterPolicies,
} from '@pardot-x3/customer-master';
import { SERVICE_CONFIG } from '@pardot-x3/service-runtime';
import type { MdmConfig } from '../mdm.config.js';

/** Injection token of the customer master's policies (`config/matching.yaml`, `config/survivorship.yaml`). */
export const CUSTOMER_MASTER_POLICIES = Symbol.for('pardot-x3.mdm.customer-master-policies');

/**
 * The matching and survivorship policies, read and checked once at boot: a mistake stops the service
 * with `file:line:column` messages.
 */
@Global()
@Module({
  providers: [
    {
      provide: CUSTOMER_MASTER_POLICIES,
      inject: [SERVICE_CONFIG],
      useFactory: (config: MdmConfig): CustomerMasterPolicies => {
        const matching = readConfigFile(config, 'matching.yaml');
        const survivorship = readConfigFile(config, 'survivorship.yaml');
        return {
          matching: parseMatchingPolicy(matching.text, matching.fileName),
          survivorship: parseSurvivorshipPolicy(survivorship.text, survivorship.fileName),
        };
      },
    },
  ],
  exports: [CUSTOMER_MASTER_POLICIES],
})
export class CustomerPoliciesModule {}
