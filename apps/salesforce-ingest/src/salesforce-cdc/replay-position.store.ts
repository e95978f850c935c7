import { Injectable } from '@nestjs/common';
import type { ReplayPosition, ReplayPositionStore } from '@pardot-x3/salesforce-connector';
import { DataSource } from 'typeorm';

/** The CDC subscriber's durable position, in `salesforce_ingest_replay_position`. */
@Injectable()
export class PostgresReplayPositionStore implements ReplayPositionStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(channel: string): Promise<ReplayPosition | undefined> {
    const rows = (await this.dataSource.query(
      'SELECT replay_id, commit_timestamp FROM salesforce_ingest_replay_position WHERE channel = $1',
      [channel],
    )) as { replay_id: string; commit_timestamp: Date | null }[];
    const row = rows[0];
    if (!row) return undefined;
    return {
      cdcReplayId: Number(row.replay_id),
      ...(row.commit_timestamp ? { commitTimestamp: row.commit_timestamp.getTime() } : {}),
    };
  }

  async save(channel: string, position: ReplayPosition): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO salesforce_ingest_replay_position (channel, replay_id, commit_timestamp, saved_at)
       VALUES ($1, $2, $3, now())
       ON CONFLICT (channel) DO UPDATE SET replay_id = excluded.replay_id,
         commit_timestamp = coalesce(excluded.commit_timestamp, salesforce_ingest_replay_position.commit_timestamp),
         saved_at = now()`,
      [
        channel,
        position.cdcReplayId,
        position.commitTimestamp === undefined ? null : new Date(position.commitTimestamp),
      ],
    );
  }
}
