import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each pending customer write knows when its coalescing started (`coalescing_since`): a change within
 * the window moves the write later (the window slides while the golden record keeps changing), never
 * past CUSTOMER_WRITE_MAX_DELAY_MS after that time. Rows queued before have none: their first change
 * (`first_queued_at`) stands in. Due Salesforce writes are gathered by target and due time.
 */
export class CustomerWriteCoalescing1765300000000 implements MigrationInterface {
  readonly name = 'CustomerWriteCoalescing1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE pardot_writer_pending_customer_write ADD COLUMN IF NOT EXISTS coalescing_since timestamptz',
    );
    await queryRunner.query(
      `CREATE INDEX IF NOT EXISTS pardot_writer_pending_customer_write_target_due_idx
         ON pardot_writer_pending_customer_write (target, due_at) WHERE state = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX IF EXISTS pardot_writer_pending_customer_write_target_due_idx');
    await queryRunner.query(
      'ALTER TABLE pardot_writer_pending_customer_write DROP COLUMN IF EXISTS coalescing_since',
    );
  }
}
