import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Customer writes waiting for their coalescing window, and what was last written to each target. */
export class CustomerWritesTables1764360200000 implements MigrationInterface {
  readonly name = 'CustomerWritesTables1764360200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pardot_writer_pending_customer_write (
        target text NOT NULL,
        target_key text NOT NULL,
        golden_id text NOT NULL,
        golden_version bigint NOT NULL,
        payload jsonb NOT NULL,
        external_ids jsonb NOT NULL DEFAULT '[]'::jsonb,
        revision integer NOT NULL DEFAULT 1,
        first_queued_at timestamptz NOT NULL,
        due_at timestamptz NOT NULL,
        lease_until timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        state text NOT NULL DEFAULT 'pending',
        last_error text,
        PRIMARY KEY (target, target_key)
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS pardot_writer_pending_customer_write_due_idx ON pardot_writer_pending_customer_write (due_at)',
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pardot_writer_customer_write_state (
        target text NOT NULL,
        target_key text NOT NULL,
        golden_id text NOT NULL,
        payload jsonb NOT NULL,
        external_id text,
        written_at timestamptz NOT NULL,
        PRIMARY KEY (target, target_key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS pardot_writer_customer_write_state');
    await queryRunner.query('DROP TABLE IF EXISTS pardot_writer_pending_customer_write');
  }
}
