import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tables of the Pardot rate limit shared by every process:
 * - `pardot_api_budget`: calls spent per business unit and (account-local) day, and whether Pardot
 *   itself reported the daily limit met (error 122) and when one call may probe again;
 * - `pardot_api_lease`: one row per concurrency slot; a holder keeps a slot until it releases it or
 *   the lease expires (a crashed process cannot leak a slot).
 */
export class PardotApiLimits1764259200000 implements MigrationInterface {
  readonly name = 'PardotApiLimits1764259200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pardot_api_budget (
        business_unit_id text NOT NULL,
        day date NOT NULL,
        calls_used integer NOT NULL DEFAULT 0,
        limit_reported_at timestamptz,
        next_probe_at timestamptz,
        PRIMARY KEY (business_unit_id, day)
      )`);
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS pardot_api_lease (
        business_unit_id text NOT NULL,
        slot integer NOT NULL,
        holder text,
        expires_at timestamptz,
        PRIMARY KEY (business_unit_id, slot)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS pardot_api_lease');
    await queryRunner.query('DROP TABLE IF EXISTS pardot_api_budget');
  }
}

/** The connector's migrations, oldest first: pass them to `createDataSource({ migrations })` of `@pardot-x3/persistence`. */
export const PARDOT_CONNECTOR_MIGRATIONS = [PardotApiLimits1764259200000] as const;
