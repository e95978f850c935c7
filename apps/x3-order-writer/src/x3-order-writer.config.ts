import {
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
} from '@pardot-x3/config';
import type { z } from 'zod';

/**
 * Environment of x3-order-writer: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3006; Kafka and the schema registry, and PostgreSQL.
 */
export const x3OrderWriterConfigSchema = httpServerConfigSchemaWithPort(3006)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape);

export type X3OrderWriterConfig = z.output<typeof x3OrderWriterConfigSchema>;
