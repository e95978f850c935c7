import {
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
} from '@pardot-x3/config';
import type { z } from 'zod';

/**
 * Environment of transformer: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3003; Kafka and the schema registry.
 */
export const transformerConfigSchema = httpServerConfigSchemaWithPort(3003)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape);

export type TransformerConfig = z.output<typeof transformerConfigSchema>;
