import {
  configDirectoryConfigSchema,
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
} from '@pardot-x3/config';
import { pardotConfigSchema } from '@pardot-x3/pardot-connector';
import { salesforceConfigSchema } from '@pardot-x3/salesforce-connector';
import { z } from 'zod';

const milliseconds = (min: number, max: number) =>
  z.coerce
    .number({ error: `must be a whole number of milliseconds from ${min} to ${max}` })
    .int(`must be a whole number of milliseconds from ${min} to ${max}`)
    .min(min, `must be a whole number of milliseconds from ${min} to ${max}`)
    .max(max, `must be a whole number of milliseconds from ${min} to ${max}`);

/**
 * Environment of pardot-writer: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3005; Kafka and the schema registry, PostgreSQL, Salesforce and Pardot (Account
 * Engagement), the mapping templates of PX3_CONFIG_DIR, and how customer writes are coalesced.
 */
export const pardotWriterConfigSchema = httpServerConfigSchemaWithPort(3005)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape)
  .extend(salesforceConfigSchema.shape)
  .extend(pardotConfigSchema.shape)
  .extend(configDirectoryConfigSchema.shape)
  .extend({
    CUSTOMER_WRITE_COALESCING_MS: milliseconds(0, 3_600_000)
      .default(5_000)
      .describe(
        'coalescing window of customer writes: changes of one prospect (or Contact, Account) within it become one write with the latest values, and a target is written at most once per window',
      ),
    CUSTOMER_WRITE_POLL_MS: milliseconds(50, 60_000)
      .default(250)
      .describe('how often the customer writer looks for writes whose coalescing window has ended'),
  });

export type PardotWriterConfig = z.output<typeof pardotWriterConfigSchema>;
