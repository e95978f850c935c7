import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Expired signatures are deleted at most this often (by the request that finds the time has come). */
const PURGE_INTERVAL_MS = 60_000;

/** What `claim` found: the signature is new (accepted), or was accepted before (a replay). */
export type SignatureClaim =
  { readonly replay: false } | { readonly replay: true; readonly firstReceivedAt: Date };

/**
 * Remembers the signatures of accepted X3 notifications in `x3_ingest_webhook_signature` (by their
 * SHA-256, never the signature itself) for as long as a replay of the request could pass the timestamp
 * tolerance: twice the tolerance from now, since the timestamp may be up to the tolerance ahead.
 * Shared by every x3-ingest replica through PostgreSQL; expired rows are deleted once a minute.
 */
@Injectable()
export class X3WebhookReplayStore {
  private readonly logger = new Logger(X3WebhookReplayStore.name);
  private lastPurge = 0;

  constructor(private readonly dataSource: DataSource) {}

  /** `sha256=<hex>` (any case) → the key it is stored under. */
  static keyOf(signature: string): string {
    return createHash('sha256').update(signature.trim().toLowerCase()).digest('hex');
  }

  /**
   * Records the signature, atomically: of two requests with the same signature, one claims it and the
   * other is a replay. A row past its expiry is claimed again.
   */
  async claim(signature: string, toleranceSeconds: number, now = new Date()): Promise<SignatureClaim> {
    await this.purgeExpired(now);
    const key = X3WebhookReplayStore.keyOf(signature);
    const expiresAt = new Date(now.getTime() + 2 * toleranceSeconds * 1000 + 1000);
    const claimed: unknown[] = await this.dataSource.query(
      `INSERT INTO x3_ingest_webhook_signature (signature_sha256, received_at, expires_at) VALUES ($1, $2, $3)
       ON CONFLICT (signature_sha256) DO UPDATE SET received_at = EXCLUDED.received_at, expires_at = EXCLUDED.expires_at
         WHERE x3_ingest_webhook_signature.expires_at < EXCLUDED.received_at
       RETURNING signature_sha256`,
      [key, now, expiresAt],
    );
    if (claimed.length > 0) return { replay: false };
    const rows: { received_at: Date }[] = await this.dataSource.query(
      'SELECT received_at FROM x3_ingest_webhook_signature WHERE signature_sha256 = $1',
      [key],
    );
    return { replay: true, firstReceivedAt: rows[0]?.received_at ?? now };
  }

  /**
   * Forgets a claimed signature whose request was not handled (Kafka did not store the event): X3's
   * retry of the very same request must not be refused as a replay.
   */
  async release(signature: string): Promise<void> {
    await this.dataSource.query('DELETE FROM x3_ingest_webhook_signature WHERE signature_sha256 = $1', [
      X3WebhookReplayStore.keyOf(signature),
    ]);
  }

  private async purgeExpired(now: Date): Promise<void> {
    if (now.getTime() - this.lastPurge < PURGE_INTERVAL_MS) return;
    this.lastPurge = now.getTime();
    try {
      await this.dataSource.query('DELETE FROM x3_ingest_webhook_signature WHERE expires_at < $1', [now]);
    } catch (error) {
      this.logger.warn(
        { err: error },
        'could not delete expired X3 webhook signatures; trying again in a minute',
      );
    }
  }
}
