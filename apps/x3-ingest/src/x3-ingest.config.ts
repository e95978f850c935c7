import {
  accessConfigSchema,
  booleanFlag,
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
  wholeNumber,
} from '@pardot-x3/config';
import { X3_SOURCE_CLASS_NAMES, type X3SourceClassName } from '@pardot-x3/ingestion';
import { x3ConfigSchema } from '@pardot-x3/x3-connector';
import { z } from 'zod';

const classList = z
  .string()
  .default(X3_SOURCE_CLASS_NAMES.join(','))
  .transform((value) =>
    value
      .split(',')
      .map((name) => name.trim().toUpperCase())
      .filter(Boolean),
  )
  .refine(
    (names) => names.every((name) => (X3_SOURCE_CLASS_NAMES as readonly string[]).includes(name)),
    `must be a comma-separated list of ${X3_SOURCE_CLASS_NAMES.join(', ')}`,
  )
  .transform((names) => names as X3SourceClassName[]);

/**
 * Environment of x3-ingest: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3002; Kafka and the schema registry, PostgreSQL, Sage X3 and the ingestion settings.
 */
export const x3IngestConfigSchema = httpServerConfigSchemaWithPort(3002)
  .extend(accessConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape)
  .extend(x3ConfigSchema.shape)
  .extend({
    X3_INTEGRATION_USERS: z
      .string()
      .optional()
      .transform((value) =>
        (value ?? '')
          .split(',')
          .map((user) => user.trim())
          .filter(Boolean),
      )
      .describe(
        'X3 users pardot-x3 writes as (comma-separated; default X3_USERNAME): their updates are echoes of our own writes and are not ingested',
      ),
    X3_POLL_CLASSES: classList.describe(
      'X3 classes the UPDDATTIM poller reads (comma-separated; empty = no poller, webhooks only)',
    ),
    X3_POLL_INTERVAL_MS: wholeNumber(200, 86_400_000)
      .default(30_000)
      .describe('milliseconds between two polls of one X3 class'),
    X3_POLL_OVERLAP_SECONDS: wholeNumber(0, 86_400)
      .default(120)
      .describe(
        'seconds each poll re-reads before the last change seen (late commits, clock skew between X3 servers); re-read records are published once',
      ),
    X3_POLL_INITIAL_LOOKBACK_SECONDS: wholeNumber(0, 31_536_000)
      .default(86_400)
      .describe('how far back the very first poll of a class reads, when no watermark is stored yet'),
    X3_POLL_PAGE_SIZE: wholeNumber(1, 1_000)
      .default(500)
      .describe('records per X3 $query page and per batch sent to Kafka'),
    X3_CUSTOMER_TURNOVER: booleanFlag
      .default(true)
      .describe(
        "add each customer's turnover and last order date (from its SORDER orders) to customer events, and refresh the customer when one of its orders changes",
      ),
  });

export type X3IngestConfig = z.output<typeof x3IngestConfigSchema>;

/** The X3 users whose updates are our own writes. */
export function integrationUsersOf(config: X3IngestConfig): string[] {
  return config.X3_INTEGRATION_USERS.length > 0 ? config.X3_INTEGRATION_USERS : [config.X3_USERNAME];
}
