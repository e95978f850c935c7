import type { WebhookSigner } from '@pardot-x3/access';

export const X3_TIMESTAMP_HEADER = 'x-x3-timestamp';
export const X3_SIGNATURE_HEADER = 'x-x3-signature';

/**
 * How Sage X3 change notifications are signed: the shared webhook scheme (`signWebhook` and
 * `verifyWebhookSignature` of @pardot-x3/access) in the X-X3-Timestamp and X-X3-Signature headers.
 */
export const X3_WEBHOOK_SIGNER: WebhookSigner = {
  delivery: 'X3 notification',
  timestampHeader: 'X-X3-Timestamp',
  signatureHeader: 'X-X3-Signature',
  secretSetting: 'X3_WEBHOOK_SECRET',
};

/**
 * @deprecated The shared `signWebhook` of @pardot-x3/access under its old name, kept only until the X3
 * webhook bench and x3-webhook-queue.int-spec.ts (apps/x3-ingest, open in another change) import
 * `signWebhook`.
 */
export { signWebhook as signX3Notification } from '@pardot-x3/access';
