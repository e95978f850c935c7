import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * x3-order-writer's tables: its copy of the golden customers' cross-references, the X3 customers it
 * created or adopted (so a customer is created once), the outcome of every order request, and the
 * activity history and scores of the Last Engagement Score, with what was last written to X3.
 */
export class X3OrderWriterTables1764400000000 implements MigrationInterface {
  readonly name = 'X3OrderWriterTables1764400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS x3_order_writer_golden_customer (
        golden_id text PRIMARY KEY,
        version bigint NOT NULL,
        record jsonb NOT NULL,
        x3_customer_codes text[] NOT NULL DEFAULT '{}',
        salesforce_account_ids text[] NOT NULL DEFAULT '{}',
        pardot_prospect_ids text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS x3_order_writer_golden_customer_accounts_idx ON x3_order_writer_golden_customer USING gin (salesforce_account_ids)',
    );
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS x3_order_writer_golden_customer_prospects_idx ON x3_order_writer_golden_customer USING gin (pardot_prospect_ids)',
    );
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS x3_order_writer_golden_customer_codes_idx ON x3_order_writer_golden_customer USING gin (x3_customer_codes)',
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS x3_order_writer_customer (
        customer_key text PRIMARY KEY,
        x3_customer_code text NOT NULL,
        origin text NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS x3_order_writer_order (
        opportunity_id text PRIMARY KEY,
        outcome text NOT NULL,
        order_number text,
        x3_customer_code text,
        customer_created boolean NOT NULL DEFAULT false,
        reason text,
        message text,
        replied_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS x3_order_writer_engagement_activity (
        activity_id text PRIMARY KEY,
        prospect_id text NOT NULL,
        activity_type integer NOT NULL,
        occurred_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS x3_order_writer_engagement_activity_prospect_idx ON x3_order_writer_engagement_activity (prospect_id, occurred_at)',
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS x3_order_writer_engagement_score (
        x3_customer_code text PRIMARY KEY,
        golden_id text,
        score integer NOT NULL,
        activity_count integer NOT NULL,
        last_activity_at timestamptz,
        computed_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS x3_order_writer_engagement_written (
        x3_customer_code text PRIMARY KEY,
        score_computed_at timestamptz NOT NULL,
        written_values jsonb NOT NULL,
        written_at timestamptz NOT NULL
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'x3_order_writer_engagement_written',
      'x3_order_writer_engagement_score',
      'x3_order_writer_engagement_activity',
      'x3_order_writer_order',
      'x3_order_writer_customer',
      'x3_order_writer_golden_customer',
    ])
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
