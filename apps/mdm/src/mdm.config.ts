import {
  accessConfigSchema,
  configDirectoryConfigSchema,
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
} from '@pardot-x3/config';
import type { z } from 'zod';

/**
 * Environment of mdm: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3004; Kafka and the schema registry, PostgreSQL, and the matching and survivorship
 * policies of PX3_CONFIG_DIR.
 */
export const mdmConfigSchema = httpServerConfigSchemaWithPort(3004)
  .extend(accessConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape)
  .extend(configDirectoryConfigSchema.shape);

export type MdmConfig = z.output<typeof mdmConfigSchema>;
