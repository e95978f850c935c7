import {
  accessConfigSchema,
  configDirectoryConfigSchema,
  databaseConfigSchema,
  httpServerConfigSchemaWithPort,
  kafkaConfigSchema,
  milliseconds,
  schemaRegistryConfigSchema,
  secret,
} from '@pardot-x3/config';
import { pardotConfigSchema } from '@pardot-x3/pardot-connector';
import { salesforceConfigSchema } from '@pardot-x3/salesforce-connector';
import { z } from 'zod';

const ERP_ACTIVITY_KINDS = ['order-created', 'order-shipped', 'invoice-posted'] as const;
export type ErpActivityKind = (typeof ERP_ACTIVITY_KINDS)[number];

/** `order-shipped:X3_Order_Shipped,…` → kind → Account Engagement external activity type. */
const erpActivityTypes = z
  .string()
  .default('order-created:X3_Order_Created,order-shipped:X3_Order_Shipped,invoice-posted:X3_Invoice_Posted')
  .transform((text, ctx) => {
    const types = new Map<ErpActivityKind, string>();
    for (const entry of text
      .split(',')
      .map((e) => e.trim())
      .filter(Boolean)) {
      const [kind = '', type = ''] = entry.split(':').map((part) => part.trim());
      if (!(ERP_ACTIVITY_KINDS as readonly string[]).includes(kind) || !/^[A-Za-z][A-Za-z0-9_]*$/.test(type))
        ctx.addIssue({
          code: 'custom',
          message: `"${entry}" must be <kind>:<activity type DeveloperName> with kind one of ${ERP_ACTIVITY_KINDS.join(', ')}`,
        });
      else types.set(kind as ErpActivityKind, type);
    }
    return types;
  });

/** The order, activity and inventory flows' settings (docs/flows/*.md). */
const flowSettingsSchema = z.object({
  ERP_ACTIVITY_TYPES: erpActivityTypes.describe(
    'X3 events sent as Account Engagement external activities, kind:type (DeveloperName of the activity type under PARDOT_EXTERNAL_ACTIVITY_EXTENSION); a kind left out is not sent',
  ),
  ORDER_OUTCOME_MESSAGE_MAX_LENGTH: z.coerce
    .number()
    .int()
    .min(20)
    .max(131_072)
    .default(1_000)
    .describe(
      'length of the Opportunity field receiving the rejection reason (longer reasons are cut, with …)',
    ),
  STOCK_FIELDS_SOBJECT: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .default('Product2')
    .describe('Salesforce object receiving the stock of each X3 product'),
  STOCK_FIELDS_EXTERNAL_ID: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .default('X3_Item_Code__c')
    .describe('its external id field holding the X3 product code (ITMREF)'),
  STOCK_FIELDS_AVAILABLE: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9_]*$/)
    .default('Stock_Available__c')
    .describe('its field receiving the available stock, summed over the X3 sites'),
  STOCK_FIELDS_UPDATED_AT: z
    .string()
    .regex(/^([A-Za-z][A-Za-z0-9_]*)?$/)
    .default('Stock_Updated_At__c')
    .describe('its field receiving the time of the newest stock figure (empty: not written)'),
  STOCK_TICK_MS: milliseconds(100, 3_600_000)
    .default(5_000)
    .describe(
      'how often held stock changes are checked against the debounce window and maxStaleness (config/inventory.yaml)',
    ),
  STOCK_FLUSH_MS: milliseconds(50, 3_600_000)
    .default(1_000)
    .describe(
      'how often published stock levels are sent to Salesforce (≤ 200 records a call) and to the stock webhook',
    ),
  STOCK_WEBHOOK_URL: z
    .string()
    .trim()
    .url()
    .optional()
    .describe(
      'the e-commerce endpoint receiving stock levels (HMAC-signed POSTs); unset: the webhook subscriber does not run',
    ),
  STOCK_WEBHOOK_SECRET: secret(
    z
      .string()
      .min(16, 'must be at least 16 characters')
      .optional()
      .describe('HMAC-SHA256 key of the stock webhook signatures'),
  ),
  STOCK_WEBHOOK_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000)
    .default(100)
    .describe('stock levels per webhook call'),
  STOCK_WEBHOOK_TIMEOUT_MS: milliseconds(100, 120_000)
    .default(10_000)
    .describe('time allowed for one webhook call'),
  STOCK_WEBHOOK_RETRY_BASE_MS: milliseconds(10, 3_600_000)
    .default(1_000)
    .describe(
      'first retry delay of a failed webhook call; doubles (with jitter) up to STOCK_WEBHOOK_RETRY_MAX_MS, never given up',
    ),
  STOCK_WEBHOOK_RETRY_MAX_MS: milliseconds(10, 86_400_000)
    .default(300_000)
    .describe('longest delay between two attempts of a failed webhook call'),
});

/**
 * Environment of pardot-writer: validated once at boot, documented by `./pardot-x3 config docs`.
 * Default port 3005; Kafka and the schema registry, PostgreSQL, Salesforce and Pardot (Account
 * Engagement), the mapping templates of PX3_CONFIG_DIR, and how customer writes are coalesced.
 */
export const pardotWriterConfigSchema = httpServerConfigSchemaWithPort(3005)
  .extend(accessConfigSchema.shape)
  .extend(kafkaConfigSchema.shape)
  .extend(schemaRegistryConfigSchema.shape)
  .extend(databaseConfigSchema.shape)
  .extend(salesforceConfigSchema.shape)
  .extend(pardotConfigSchema.shape)
  .extend(configDirectoryConfigSchema.shape)
  .extend({
    CUSTOMER_WRITE_COALESCING_MS: milliseconds(0, 3_600_000)
      .default(5_000)
      .describe(
        'coalescing window of customer writes: a prospect (or Contact, Account) is written once its golden record has not changed for this long, with the latest values; a target is written at most once per window and has at most one write in flight',
      ),
    CUSTOMER_WRITE_MAX_DELAY_MS: milliseconds(0, 86_400_000)
      .default(30_000)
      .describe(
        'longest a customer write waits for its golden record to stop changing, from the first change (at least CUSTOMER_WRITE_COALESCING_MS): a customer that keeps changing is still written this often',
      ),
    CUSTOMER_WRITE_SALESFORCE_GATHER_MS: milliseconds(0, 600_000)
      .default(5_000)
      .describe(
        'how long Contact and Account writes whose window ended are gathered, across customers, so that 200 of them make one sObject Collections call; fewer are sent once the oldest has waited this long with fewer than 200 queued, or four times this long',
      ),
    CUSTOMER_WRITE_GIVE_UP_AFTER_MS: milliseconds(60_000, 7 * 86_400_000)
      .default(86_400_000)
      .describe(
        'how long a customer write may keep failing for transient reasons or wait for a limit (Pardot daily budget, Salesforce allocation) before it is parked on pardot-writer.customers.dlq; permanent refusals are parked at once',
      ),
    CUSTOMER_WRITE_POLL_MS: milliseconds(50, 60_000)
      .default(250)
      .describe('how often the customer writer looks for writes whose coalescing window has ended'),
  })
  .extend(flowSettingsSchema.shape)
  .superRefine((config, ctx) => {
    if (config.CUSTOMER_WRITE_MAX_DELAY_MS < config.CUSTOMER_WRITE_COALESCING_MS)
      ctx.addIssue({
        code: 'custom',
        path: ['CUSTOMER_WRITE_MAX_DELAY_MS'],
        message: `must be at least CUSTOMER_WRITE_COALESCING_MS (${config.CUSTOMER_WRITE_COALESCING_MS})`,
      });
    if (config.STOCK_WEBHOOK_URL && !config.STOCK_WEBHOOK_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['STOCK_WEBHOOK_SECRET'],
        message: 'is required when STOCK_WEBHOOK_URL is set (the receiver checks every signature)',
      });
  });

export type PardotWriterConfig = z.output<typeof pardotWriterConfigSchema>;
