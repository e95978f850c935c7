import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each pending customer write keeps the golden-customer event it came from (as read from Kafka), so a
 * write that fails for good is parked on pardot-writer.customers.dlq with the target's error and can be
 * re-driven after a fix, instead of being "kept as failed" where nobody looks.
 */
export class CustomerWriteSourceMessage1765100000000 implements MigrationInterface {
  readonly name = 'CustomerWriteSourceMessage1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE pardot_writer_pending_customer_write ADD COLUMN IF NOT EXISTS source_message jsonb',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE pardot_writer_pending_customer_write DROP COLUMN IF EXISTS source_message',
    );
  }
}
