import type { X3ClassName } from '../catalog/x3-class-catalog.constants.js';

/** Where change notifications go (standing in for an X3 workflow callout). */
export interface WebhookTarget {
  readonly id: string;
  readonly url: string;
  /** HMAC-SHA256 key of X-X3-Signature; never shown by the admin API. */
  readonly secret: string;
  readonly classes: readonly X3ClassName[];
}

export interface WebhookAttempt {
  readonly at: string;
  /** HTTP status answered, absent when the request failed (see error). */
  readonly status?: number;
  readonly error?: string;
}

/** One notification to one target, and what became of it. */
export interface WebhookDelivery {
  readonly id: string;
  readonly targetId: string;
  readonly eventId: string;
  readonly folder: string;
  readonly className: X3ClassName;
  readonly key: string;
  readonly changeType: 'CREATE' | 'UPDATE';
  state: 'pending' | 'delivered' | 'failed';
  readonly attempts: WebhookAttempt[];
  nextAttemptAt?: string;
  /** The exact body sent (signed as "<X-X3-Timestamp>.<body>"). */
  readonly body: string;
}
