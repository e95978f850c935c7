import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * pardot-writer's tables of the order, activity and inventory flows: what was last written to each
 * Opportunity, the golden customers' e-mail per X3 customer, the external activities sent (each once),
 * and the stock subscribers' state (one per subscriber, product and site) and published levels.
 */
export class OrderActivityStockTables1764400100000 implements MigrationInterface {
  readonly name = 'OrderActivityStockTables1764400100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pardot_writer_order_outcome (
        opportunity_id text PRIMARY KEY,
        written_values jsonb NOT NULL,
        written_at timestamptz NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pardot_writer_golden_contact (
        golden_id text PRIMARY KEY,
        version bigint NOT NULL,
        email text,
        x3_customer_codes text[] NOT NULL DEFAULT '{}',
        updated_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS pardot_writer_golden_contact_codes_idx ON pardot_writer_golden_contact USING gin (x3_customer_codes)',
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pardot_writer_erp_activity (
        activity_type text NOT NULL,
        business_key text NOT NULL,
        email text NOT NULL,
        value text NOT NULL,
        sent_at timestamptz NOT NULL,
        PRIMARY KEY (activity_type, business_key)
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pardot_writer_stock_state (
        subscriber text NOT NULL,
        item_code text NOT NULL,
        site text NOT NULL,
        state jsonb NOT NULL,
        pending_since timestamptz,
        PRIMARY KEY (subscriber, item_code, site)
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS pardot_writer_stock_state_pending_idx ON pardot_writer_stock_state (subscriber, pending_since) WHERE pending_since IS NOT NULL',
    );
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pardot_writer_stock_publication (
        subscriber text NOT NULL,
        item_code text NOT NULL,
        site text NOT NULL,
        available numeric NOT NULL,
        physical numeric NOT NULL,
        measured_at timestamptz NOT NULL,
        reason text NOT NULL,
        version bigint NOT NULL,
        delivered_version bigint NOT NULL DEFAULT 0,
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        last_error text,
        PRIMARY KEY (subscriber, item_code, site)
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS pardot_writer_stock_publication_due_idx ON pardot_writer_stock_publication (subscriber, next_attempt_at) WHERE version > delivered_version',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'pardot_writer_stock_publication',
      'pardot_writer_stock_state',
      'pardot_writer_erp_activity',
      'pardot_writer_golden_contact',
      'pardot_writer_order_outcome',
    ])
      await queryRunner.query(`DROP TABLE IF EXISTS ${table}`);
  }
}
