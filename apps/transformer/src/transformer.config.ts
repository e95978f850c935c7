import {
  accessConfigSchema,
  configDirectoryConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
} from '@pardot-x3/config';
import type { z } from 'zod';

/**
 * Environment of transformer: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3003; Kafka and the schema registry, and the mapping templates of PX3_CONFIG_DIR.
 */
export const transformerConfigSchema = httpServerConfigSchemaWithPort(3003)
  .extend(accessConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(configDirectoryConfigSchema.shape);

export type TransformerConfig = z.output<typeof transformerConfigSchema>;
