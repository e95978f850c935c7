import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The signatures of accepted X3 notifications, kept while a replay of them could still pass the tolerance. */
export class X3WebhookSignature1796688000000 implements MigrationInterface {
  readonly name = 'X3WebhookSignature1796688000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS x3_ingest_webhook_signature (
        signature_sha256 text PRIMARY KEY,
        received_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS x3_ingest_webhook_signature_expires_idx ON x3_ingest_webhook_signature (expires_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS x3_ingest_webhook_signature');
  }
}
