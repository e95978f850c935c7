import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CallBatcher } from './call-batcher.util.js';

/** Expired signatures are deleted at most this often (by the request that finds the time has come). */
const PURGE_INTERVAL_MS = 60_000;

/** What `claim` found: the signature is new (accepted), or was accepted before (a replay). */
export type SignatureClaim =
  { readonly replay: false } | { readonly replay: true; readonly firstReceivedAt: Date };

interface ClaimRequest {
  readonly key: string;
  readonly receivedAt: Date;
  readonly expiresAt: Date;
}

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
  private readonly claims = new CallBatcher<ClaimRequest, SignatureClaim>(
    (requests) => this.claimAll(requests),
    { maxBatchSize: 500, concurrency: 2 },
  );

  constructor(private readonly dataSource: DataSource) {}

  /** `sha256=<hex>` (any case) → the key it is stored under. */
  static keyOf(signature: string): string {
    return createHash('sha256').update(signature.trim().toLowerCase()).digest('hex');
  }

  /**
   * Records the signature, atomically: of two requests with the same signature, one claims it and the
   * other is a replay. A row past its expiry is claimed again. Concurrent claims share one statement
   * (see {@link CallBatcher}), so a burst of webhooks costs a few round trips, not one each.
   */
  claim(signature: string, toleranceSeconds: number, now = new Date()): Promise<SignatureClaim> {
    return this.claims.call({
      key: X3WebhookReplayStore.keyOf(signature),
      receivedAt: now,
      expiresAt: new Date(now.getTime() + 2 * toleranceSeconds * 1000 + 1000),
    });
  }

  private async claimAll(requests: readonly ClaimRequest[]): Promise<SignatureClaim[]> {
    await this.purgeExpired(requests[0]?.receivedAt ?? new Date());
    // One row per signature in the statement (a row cannot be claimed twice by one INSERT): the first
    // request of a signature claims it, the others of the same batch are its replays.
    const first = new Map<string, ClaimRequest>();
    for (const request of requests) if (!first.has(request.key)) first.set(request.key, request);
    const unique = [...first.values()];
    const claimed: { signature_sha256: string }[] = await this.dataSource.query(
      `INSERT INTO x3_ingest_webhook_signature (signature_sha256, received_at, expires_at)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::timestamptz[])
       ON CONFLICT (signature_sha256) DO UPDATE SET received_at = EXCLUDED.received_at, expires_at = EXCLUDED.expires_at
         WHERE x3_ingest_webhook_signature.expires_at < EXCLUDED.received_at
       RETURNING signature_sha256`,
      [unique.map((r) => r.key), unique.map((r) => r.receivedAt), unique.map((r) => r.expiresAt)],
    );
    const won = new Set(claimed.map((row) => row.signature_sha256));
    const lost = unique.filter((r) => !won.has(r.key)).map((r) => r.key);
    const earlier = new Map<string, Date>();
    if (lost.length > 0) {
      const rows: { signature_sha256: string; received_at: Date }[] = await this.dataSource.query(
        'SELECT signature_sha256, received_at FROM x3_ingest_webhook_signature WHERE signature_sha256 = ANY($1::text[])',
        [lost],
      );
      for (const row of rows) earlier.set(row.signature_sha256, row.received_at);
    }
    return requests.map((request) => {
      const winner = first.get(request.key);
      if (winner === request && won.has(request.key)) return { replay: false };
      const firstReceivedAt = won.has(request.key)
        ? (winner?.receivedAt ?? request.receivedAt)
        : (earlier.get(request.key) ?? request.receivedAt);
      return { replay: true, firstReceivedAt };
    });
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
