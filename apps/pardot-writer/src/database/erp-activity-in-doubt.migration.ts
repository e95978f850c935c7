import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An external activity's key is marked `sending` (committed on its own) before the call and `sent` with the
 * event, so a process killed between Account Engagement's answer and the commit does not send it twice: the
 * next attempt finds the mark and looks for the activity first. Rows from before are `sent`.
 */
export class ErpActivityInDoubt1765310000000 implements MigrationInterface {
  readonly name = 'ErpActivityInDoubt1765310000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE pardot_writer_erp_activity
        ADD COLUMN IF NOT EXISTS state text NOT NULL DEFAULT 'sent' CHECK (state IN ('sending', 'sent')),
        ADD COLUMN IF NOT EXISTS attempt_started_at timestamptz,
        ALTER COLUMN sent_at DROP NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM pardot_writer_erp_activity WHERE state = 'sending'`);
    await queryRunner.query(`
      ALTER TABLE pardot_writer_erp_activity
        DROP COLUMN IF EXISTS state,
        DROP COLUMN IF EXISTS attempt_started_at,
        ALTER COLUMN sent_at SET NOT NULL`);
  }
}
