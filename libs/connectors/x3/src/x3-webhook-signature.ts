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
