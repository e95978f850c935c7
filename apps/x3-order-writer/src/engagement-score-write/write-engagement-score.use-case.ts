import { isDeepStrictEqual } from 'node:util';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EngagementScore } from '@pardot-x3/canonical';
import { mapRecord } from '@pardot-x3/mapping';
import { NonRetriableError } from '@pardot-x3/messaging';
import type { EntityManager } from '@pardot-x3/persistence';
import { X3Client, X3BusinessError } from '@pardot-x3/x3-connector';
import { ENGAGEMENT_POLICIES, type EngagementPolicies } from '../engagement-scoring/engagement.policies.js';
import { EngagementWrittenEntity } from './engagement-written.entity.js';

export type EngagementWriteOutcome = 'written' | 'unchanged' | 'older';

/** A score to write to X3, in the consumer's transaction (exactly-once with its inbox row). */
export interface WriteEngagementScoreCommand {
  readonly score: EngagementScore;
  readonly manager: EntityManager;
}

/**
 * Writes an X3 customer's Last Engagement Score and last engagement date (`$edit` of BPCUSTOMER, the
 * fields the engagement-to-x3-customer template names), unless X3 already holds those values from us
 * or a newer score was applied.
 */
@Injectable()
export class WriteEngagementScoreUseCase {
  private readonly logger = new Logger(WriteEngagementScoreUseCase.name);

  constructor(
    private readonly x3: X3Client,
    @Inject(ENGAGEMENT_POLICIES) private readonly policies: EngagementPolicies,
  ) {}

  async execute({ score, manager }: WriteEngagementScoreCommand): Promise<EngagementWriteOutcome> {
    const repository = manager.getRepository(EngagementWrittenEntity);
    const written = await repository.findOne({
      where: { x3CustomerCode: score.x3CustomerCode },
      lock: { mode: 'pessimistic_write' },
    });
    if (written && written.scoreComputedAt.getTime() > score.computedAt.getTime()) return 'older';
    const mapped = mapRecord(this.policies.toX3Customer, {
      customerCode: score.x3CustomerCode,
      score: score.score,
      lastEngagementDate: score.lastActivityAt ? score.lastActivityAt.toISOString().slice(0, 10) : null,
    });
    if (mapped.outcome !== 'mapped')
      throw new NonRetriableError(
        `the engagement-to-x3-customer template cannot map the score of ${score.x3CustomerCode}: ${
          mapped.outcome === 'skipped' ? mapped.reason : mapped.problems.map((p) => p.message).join('; ')
        }`,
      );
    const { BPCNUM: key, ...values } = mapped.record;
    const code = typeof key === 'string' ? key : score.x3CustomerCode;
    const now = new Date();
    if (written && isDeepStrictEqual(written.writtenValues, values)) {
      await repository.update(
        { x3CustomerCode: score.x3CustomerCode },
        { scoreComputedAt: score.computedAt },
      );
      return 'unchanged';
    }
    try {
      await this.x3.update({ className: 'BPCUSTOMER' }, code, values);
    } catch (error) {
      if (error instanceof X3BusinessError)
        throw new NonRetriableError(
          `Sage X3 refused the engagement score of customer ${code}: ${error.message}`,
        );
      throw error;
    }
    await repository.save({
      x3CustomerCode: score.x3CustomerCode,
      scoreComputedAt: score.computedAt,
      writtenValues: values,
      writtenAt: now,
    });
    this.logger.log({ customer: code, score: score.score }, 'engagement score written to X3');
    return 'written';
  }
}
