import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The customer master: golden records, their match keys, and the source records cross-referenced to them. */
export class MdmCustomerMasterTables1764360100000 implements MigrationInterface {
  readonly name = 'MdmCustomerMasterTables1764360100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS mdm_golden_customer (
        golden_id text PRIMARY KEY,
        version bigint NOT NULL,
        record jsonb NOT NULL,
        email text,
        state text NOT NULL DEFAULT 'active',
        merged_into text,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS mdm_golden_customer_email_idx ON mdm_golden_customer (email)',
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS mdm_customer_match_key (
        key text NOT NULL,
        golden_id text NOT NULL,
        PRIMARY KEY (key, golden_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS mdm_customer_match_key_golden_idx ON mdm_customer_match_key (golden_id)',
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS mdm_customer_source_record (
        source_system text NOT NULL,
        source_entity text NOT NULL,
        source_id text NOT NULL,
        golden_id text NOT NULL,
        observed_at timestamptz NOT NULL,
        fields jsonb NOT NULL,
        deleted boolean NOT NULL DEFAULT false,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_system, source_entity, source_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS mdm_customer_source_record_golden_idx ON mdm_customer_source_record (golden_id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS mdm_customer_source_record');
    await queryRunner.query('DROP TABLE IF EXISTS mdm_customer_match_key');
    await queryRunner.query('DROP TABLE IF EXISTS mdm_golden_customer');
  }
}
