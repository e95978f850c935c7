import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One accepted X3 notification, by the SHA-256 of its signature (the HMAC of timestamp and body): the
 * same signed request sent again is a replay and is refused. Kept until `expires_at`, when the
 * request's timestamp is out of the tolerance window anyway.
 */
@Entity({ name: 'x3_ingest_webhook_signature' })
export class X3WebhookSignatureEntity {
  @PrimaryColumn({ name: 'signature_sha256', type: 'text' })
  signatureSha256!: string;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}
