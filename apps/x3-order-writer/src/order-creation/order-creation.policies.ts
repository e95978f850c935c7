import { readConfigFile, type ConfigDirectoryConfig } from '@pardot-x3/config';
import { parseMappingTemplate, type MappingTemplate } from '@pardot-x3/mapping';
import {
  parseSalesOrderPolicy,
  parseX3CustomerDefaults,
  type SalesOrderPolicy,
  type X3CustomerDefaults,
} from '@pardot-x3/sales-orders';

/** Injection token of the order flow's configuration, read from the configuration folder at boot. */
export const ORDER_CREATION_POLICIES = Symbol.for('x3-order-writer.order-creation-policies');

export interface OrderCreationPolicies {
  /** config/sales-orders.yaml: how X3's refusals are read. */
  readonly salesOrders: SalesOrderPolicy;
  /** config/x3-customer-defaults.yaml: financial defaults of a created customer. */
  readonly customerDefaults: X3CustomerDefaults;
  /** Golden customer → new X3 customer (BPCUSTOMER fields). */
  readonly goldenToX3Customer: MappingTemplate;
  /** X3 customer → canonical observation (what mdm learns of a customer we created). */
  readonly x3CustomerToCanonical: MappingTemplate;
  /** X3 order → SalesOrderCreated (the reply's created order). */
  readonly x3SalesOrderToCanonical: MappingTemplate;
}

export function loadOrderCreationPolicies(config: ConfigDirectoryConfig): OrderCreationPolicies {
  const read = (path: string) => readConfigFile(config, path);
  const template = (name: string) => {
    const file = read(`mappings/${name}.yaml`);
    return parseMappingTemplate(file.text, file.fileName);
  };
  const salesOrders = read('sales-orders.yaml');
  const defaults = read('x3-customer-defaults.yaml');
  return {
    salesOrders: parseSalesOrderPolicy(salesOrders.text, salesOrders.fileName),
    customerDefaults: parseX3CustomerDefaults(defaults.text, defaults.fileName),
    goldenToX3Customer: template('golden-to-x3-customer'),
    x3CustomerToCanonical: template('x3-customer-to-canonical'),
    x3SalesOrderToCanonical: template('x3-sales-order-to-canonical'),
  };
}
