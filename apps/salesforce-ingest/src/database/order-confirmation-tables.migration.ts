import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The order confirmations asked through the synchronous endpoint, and their outcomes (the status URL's answer). */
export class OrderConfirmationTables1764400200000 implements MigrationInterface {
  readonly name = 'OrderConfirmationTables1764400200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS salesforce_ingest_order_confirmation (
        opportunity_id text PRIMARY KEY,
        outcome text NOT NULL,
        reply jsonb,
        requested_at timestamptz,
        replied_at timestamptz
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS salesforce_ingest_order_confirmation');
  }
}
