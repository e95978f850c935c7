import { Injectable, Logger } from '@nestjs/common';
import { CONSUMER_GROUPS, TOPICS, type GoldenCustomer, type Prospect } from '@pardot-x3/canonical';
import type { BatchContext, BatchItem, MessageContext } from '@pardot-x3/messaging';
import { EventConsumer, HandleEventBatch, HandleTombstone } from '@pardot-x3/messaging-nest';
import { lockForEngagement } from '../engagement-scoring/engagement-locks.js';
import { ScoreCustomersUseCase } from '../engagement-scoring/score-customers.use-case.js';
import { CustomerDirectory, type DirectoryChange } from './customer-directory.service.js';

/** Mastered versions per handler call (a mass update masters thousands at once). */
const MAX_BATCH_SIZE = 500;

/**
 * Keeps the directory in step with the mastered customers and the prospects pardot-writer upserted for
 * them; when a customer's prospects or X3 codes change, its Last Engagement Score is recomputed (a
 * prospect linked late brings its activities).
 */
@Injectable()
@EventConsumer(CONSUMER_GROUPS.x3OrderWriterCustomerDirectory)
export class GoldenCustomerHandler {
  private readonly logger = new Logger(GoldenCustomerHandler.name);

  constructor(
    private readonly directory: CustomerDirectory,
    private readonly scoring: ScoreCustomersUseCase,
  ) {}

  /**
   * Mastered versions a batch at a time (one partition, offset order): the directory in one write, then
   * one rescore of every X3 customer whose links changed in the batch, its events emitted as results of
   * the batch's last event.
   */
  @HandleEventBatch(TOPICS.customerGoldenRecordMasteredV1, { maxBatchSize: MAX_BATCH_SIZE })
  async handle(items: readonly BatchItem<GoldenCustomer>[], batch: BatchContext): Promise<void> {
    const last = items.at(-1);
    if (!last) return;
    const change = await this.directory.recordAll(
      batch.entityManager,
      items.map((item) => item.event),
    );
    await this.follow(change, last.context);
  }

  /**
   * Prospects pardot-writer upserted, a batch at a time: linked at once (mdm publishes no new version
   * for them), then one rescore of the customers whose links changed.
   */
  @HandleEventBatch(TOPICS.pardotProspectUpsertedV1, { maxBatchSize: MAX_BATCH_SIZE })
  async linked(items: readonly BatchItem<Prospect>[], batch: BatchContext): Promise<void> {
    const last = items.at(-1);
    if (!last) return;
    const rescore = new Set<string>();
    const prospects = new Set<string>();
    for (const { event: prospect } of items) {
      const change = await this.directory.linkProspect(
        batch.entityManager,
        prospect.goldenId,
        prospect.prospectId,
      );
      for (const code of change.rescore) rescore.add(code);
      for (const id of change.prospects) prospects.add(id);
    }
    await this.follow(
      { applied: rescore.size > 0, rescore: [...rescore].sort(), prospects: [...prospects].sort() },
      last.context,
    );
  }

  @HandleTombstone(TOPICS.customerGoldenRecordMasteredV1)
  async remove(goldenId: string, context: MessageContext): Promise<void> {
    await this.follow(await this.directory.remove(context.entityManager, goldenId), context);
  }

  private async follow(change: DirectoryChange, context: MessageContext): Promise<void> {
    if (change.rescore.length === 0) return;
    // Activities of these prospects stored at this moment are seen (see lockForEngagement).
    await lockForEngagement(context.entityManager, { prospects: change.prospects });
    const scores = await this.scoring.execute({
      manager: context.entityManager,
      customerCodes: change.rescore,
    });
    for (const score of scores) context.emit(TOPICS.engagementScoreChangedV1, score);
    this.logger.debug(
      { customers: change.rescore.length, changed: scores.length },
      'engagement rescored after a customer link changed',
    );
  }
}
