import type { MigrationInterface, QueryRunner } from 'typeorm';

/** x3-ingest's tables: the newest published version of each X3 record, and the pollers' watermarks. */
export class X3IngestTables1764360000000 implements MigrationInterface {
  readonly name = 'X3IngestTables1764360000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS x3_ingest_record_version (
        folder text NOT NULL,
        class_name text NOT NULL,
        record_id text NOT NULL,
        sequence bigint,
        changed_at timestamptz NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (folder, class_name, record_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS x3_ingest_poll_watermark (
        folder text NOT NULL,
        class_name text NOT NULL,
        watermark timestamptz NOT NULL,
        polled_at timestamptz NOT NULL,
        PRIMARY KEY (folder, class_name)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS x3_ingest_poll_watermark');
    await queryRunner.query('DROP TABLE IF EXISTS x3_ingest_record_version');
  }
}
