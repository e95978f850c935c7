import {
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
} from '@pardot-x3/config';
import type { z } from 'zod';

/**
 * Environment of x3-ingest: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3002; Kafka and the schema registry, and PostgreSQL.
 */
export const x3IngestConfigSchema = httpServerConfigSchemaWithPort(3002)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape);

export type X3IngestConfig = z.output<typeof x3IngestConfigSchema>;
