import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The data-quality record: optional fields left out of source records' observations (ADR 0135). */
export class MdmFieldQuarantineTable1796680000000 implements MigrationInterface {
  readonly name = 'MdmFieldQuarantineTable1796680000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS mdm_customer_field_quarantine (
        source_system text NOT NULL,
        source_entity text NOT NULL,
        source_id text NOT NULL,
        field text NOT NULL,
        rule text NOT NULL,
        reason text NOT NULL,
        source_field text,
        observed_at timestamptz NOT NULL,
        PRIMARY KEY (source_system, source_entity, source_id, field)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS mdm_customer_field_quarantine');
  }
}
