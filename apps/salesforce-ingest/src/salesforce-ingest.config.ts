import {
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
} from '@pardot-x3/config';
import type { z } from 'zod';

/**
 * Environment of salesforce-ingest: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3001; Kafka and the schema registry, and PostgreSQL.
 */
export const salesforceIngestConfigSchema = httpServerConfigSchemaWithPort(3001)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape);

export type SalesforceIngestConfig = z.output<typeof salesforceIngestConfigSchema>;
