import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * salesforce-ingest's tables: the CDC replay position per channel, poll watermarks, the newest version
 * published per polled record, and the prospect writes pardot-writer announced (to recognise echoes).
 */
export class SalesforceIngestTables1764360300000 implements MigrationInterface {
  readonly name = 'SalesforceIngestTables1764360300000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS salesforce_ingest_replay_position (
        channel text PRIMARY KEY,
        replay_id bigint NOT NULL,
        commit_timestamp timestamptz,
        saved_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS salesforce_ingest_poll_watermark (
        system text NOT NULL,
        entity text NOT NULL,
        watermark timestamptz NOT NULL,
        polled_at timestamptz NOT NULL,
        PRIMARY KEY (system, entity)
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS salesforce_ingest_record_version (
        system text NOT NULL,
        entity text NOT NULL,
        record_id text NOT NULL,
        changed_at timestamptz NOT NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (system, entity, record_id)
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS salesforce_ingest_pardot_own_write (
        prospect_id text PRIMARY KEY,
        updated_at timestamptz NOT NULL,
        golden_id text NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS salesforce_ingest_pardot_own_write');
    await queryRunner.query('DROP TABLE IF EXISTS salesforce_ingest_record_version');
    await queryRunner.query('DROP TABLE IF EXISTS salesforce_ingest_poll_watermark');
    await queryRunner.query('DROP TABLE IF EXISTS salesforce_ingest_replay_position');
  }
}
