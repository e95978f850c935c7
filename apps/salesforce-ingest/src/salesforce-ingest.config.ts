import {
  accessConfigSchema,
  booleanFlag,
  configDirectoryConfigSchema,
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  schemaRegistryConfigSchema,
  secret,
  wholeNumber,
} from '@pardot-x3/config';
import { SALESFORCE_SOURCE_OBJECTS, type SalesforceSourceObject } from '@pardot-x3/ingestion';
import { pardotConfigSchema } from '@pardot-x3/pardot-connector';
import { salesforceConfigSchema } from '@pardot-x3/salesforce-connector';
import { z } from 'zod';

const commaList = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

/**
 * Environment of salesforce-ingest: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3001; Kafka and the schema registry, PostgreSQL, Salesforce, Pardot (Account
 * Engagement) and the ingestion settings.
 */
export const salesforceIngestConfigSchema = httpServerConfigSchemaWithPort(3001)
  .extend(accessConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape)
  .extend(salesforceConfigSchema.shape)
  .extend(pardotConfigSchema.shape)
  .extend({
    SALESFORCE_SOURCE_OBJECTS: z
      .string()
      .default(SALESFORCE_SOURCE_OBJECTS.join(','))
      .transform((value) =>
        value
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      )
      .refine(
        (names) => names.every((name) => (SALESFORCE_SOURCE_OBJECTS as readonly string[]).includes(name)),
        `must be a comma-separated list of ${SALESFORCE_SOURCE_OBJECTS.join(', ')}`,
      )
      .transform((names) => names as SalesforceSourceObject[])
      .describe('Salesforce objects ingested (CDC, backfill, reconciliation)'),
    SALESFORCE_CDC_CHANNEL: z
      .string()
      .regex(/^\/data\/[A-Za-z0-9_]+$/, 'must be a CDC channel such as /data/ChangeEvents')
      .default('/data/ChangeEvents')
      .describe('Change Data Capture channel (the objects must be selected for CDC in Setup)'),
    SALESFORCE_CDC_ENABLED: booleanFlag.default(true).describe('subscribe to Change Data Capture'),
    SALESFORCE_CDC_FIRST_START: z
      .enum(['all-retained', 'new-only'])
      .default('all-retained')
      .describe(
        'where the very first subscription starts, before a replay id is stored: every retained event (72 h) or only new ones',
      ),
    SALESFORCE_RECONCILE_INTERVAL_MS: wholeNumber(0, 86_400_000)
      .default(300_000)
      .describe(
        'every so many milliseconds, re-read what changed since the last reconciliation by SystemModstamp (the SOQL poller: a safety net beside CDC; 0 = off)',
      ),
    PARDOT_POLL_INTERVAL_MS: wholeNumber(0, 86_400_000)
      .default(30_000)
      .describe(
        'milliseconds between two polls of Pardot prospects and visitor activities (0 = no Pardot polling)',
      ),
    PARDOT_POLL_OVERLAP_SECONDS: wholeNumber(0, 86_400)
      .default(120)
      .describe(
        'seconds each Pardot poll re-reads before the newest change seen (re-read records are published once)',
      ),
    PARDOT_POLL_INITIAL_LOOKBACK_SECONDS: wholeNumber(0, 31_536_000)
      .default(86_400)
      .describe('how far back the very first Pardot poll reads, when no watermark is stored yet'),
    PARDOT_PROSPECT_CUSTOM_FIELDS: commaList.describe(
      'custom prospect fields (API names, comma-separated) the poller reads besides the standard ones',
    ),
    PARDOT_VISITOR_ACTIVITIES: booleanFlag
      .default(true)
      .describe('poll Pardot visitor activities (for the engagement roll-up)'),
  })
  .extend(configDirectoryConfigSchema.shape)
  .extend({
    ORDER_CONFIRMATION_TOKEN: secret(
      z
        .string()
        .min(16, 'must be at least 16 characters')
        .optional()
        .describe(
          'bearer token callers of POST /orders/confirmations must send; unset: the endpoint answers 503',
        ),
    ),
    ORDER_CONFIRMATION_WAIT_MS: wholeNumber(100, 600_000)
      .default(20_000)
      .describe('how long POST /orders/confirmations waits for X3 before answering 202 with the status URL'),
  });

export type SalesforceIngestConfig = z.output<typeof salesforceIngestConfigSchema>;
