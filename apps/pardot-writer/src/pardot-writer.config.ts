import {
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
} from '@pardot-x3/config';
import type { z } from 'zod';

/**
 * Environment of pardot-writer: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3005; Kafka and the schema registry, and PostgreSQL.
 */
export const pardotWriterConfigSchema = httpServerConfigSchemaWithPort(3005)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape);

export type PardotWriterConfig = z.output<typeof pardotWriterConfigSchema>;
