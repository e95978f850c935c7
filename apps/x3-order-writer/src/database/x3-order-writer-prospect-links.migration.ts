import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The Pardot prospects pardot-writer upserted for a golden customer (`pardot.prospect.upserted.v1`):
 * mdm stores such a link without publishing a new version, so x3-order-writer keeps it itself until a
 * mastered version carries it.
 */
export class X3OrderWriterProspectLinks1765130000000 implements MigrationInterface {
  readonly name = 'X3OrderWriterProspectLinks1765130000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS x3_order_writer_prospect_link (
        prospect_id text PRIMARY KEY,
        golden_id text NOT NULL,
        linked_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS x3_order_writer_prospect_link_golden_idx ON x3_order_writer_prospect_link (golden_id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS x3_order_writer_prospect_link');
  }
}
