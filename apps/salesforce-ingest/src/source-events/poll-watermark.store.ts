import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Watermarks of the pollers of this service (`salesforce_ingest_poll_watermark`), by system and entity. */
@Injectable()
export class PollWatermarkStore {
  constructor(private readonly dataSource: DataSource) {}

  async load(system: string, entity: string): Promise<number | undefined> {
    const rows = (await this.dataSource.query(
      'SELECT watermark FROM salesforce_ingest_poll_watermark WHERE system = $1 AND entity = $2',
      [system, entity],
    )) as { watermark: Date }[];
    return rows[0]?.watermark.getTime();
  }

  async save(system: string, entity: string, watermark: number): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO salesforce_ingest_poll_watermark (system, entity, watermark, polled_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (system, entity) DO UPDATE
         SET watermark = greatest(salesforce_ingest_poll_watermark.watermark, excluded.watermark), polled_at = now()`,
      [system, entity, new Date(watermark)],
    );
  }
}
