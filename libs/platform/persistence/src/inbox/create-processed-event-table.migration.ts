import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates the processed-event inbox (see ProcessedEventEntity). */
export class CreateProcessedEventTable1764172800000 implements MigrationInterface {
  name = 'CreateProcessedEventTable1764172800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS px3_processed_event (
        consumer_group text NOT NULL,
        event_id text NOT NULL,
        replay_id text NOT NULL DEFAULT '',
        topic text NOT NULL,
        partition integer NOT NULL,
        "offset" bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT px3_processed_event_pkey PRIMARY KEY (consumer_group, event_id, replay_id)
      )`);
    await queryRunner.query(
      'CREATE INDEX IF NOT EXISTS px3_processed_event_processed_at_idx ON px3_processed_event (processed_at)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE IF EXISTS px3_processed_event');
  }
}
