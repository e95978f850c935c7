import {
  accessConfigSchema,
  configDirectoryConfigSchema,
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
  wholeNumber,
} from '@pardot-x3/config';
import { x3ConfigSchema } from '@pardot-x3/x3-connector';
import { z } from 'zod';

/**
 * Environment of x3-order-writer: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3006; Kafka and the schema registry, PostgreSQL, Sage X3, the configuration folder
 * (sales-orders.yaml, x3-customer-defaults.yaml, engagement.yaml and their templates) and the flows' settings.
 */
export const x3OrderWriterConfigSchema = httpServerConfigSchemaWithPort(3006)
  .extend(accessConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape)
  .extend(x3ConfigSchema.shape)
  .extend(configDirectoryConfigSchema.shape)
  .extend({
    ORDER_DEFAULT_SALES_SITE: z
      .string()
      .trim()
      .min(1)
      .optional()
      .describe('X3 sales site (SALFCY) of orders whose request names none (default: X3 chooses)'),
    ORDER_PARTITION_CONCURRENCY: wholeNumber(1, 64)
      .default(3)
      .describe(
        'order requests handled at once (one per partition; requests of one opportunity stay in order)',
      ),
    ENGAGEMENT_REFRESH_INTERVAL_MS: wholeNumber(0, 604_800_000)
      .default(86_400_000)
      .describe(
        'how often every Last Engagement Score is recomputed so that its recency weighting follows time (0: never)',
      ),
  });

export type X3OrderWriterConfig = z.output<typeof x3OrderWriterConfigSchema>;
