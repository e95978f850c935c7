import { Inject, Injectable } from '@nestjs/common';
import type { EngagementScore } from '@pardot-x3/canonical';
import { computeEngagementScore, engagementScoreEvent } from '@pardot-x3/engagement';
import type { EntityManager } from '@pardot-x3/persistence';
import { In } from 'typeorm';
import { CustomerDirectory } from '../customer-directory/customer-directory.service.js';
import { EngagementActivityEntity } from './engagement-activity.entity.js';
import { lockForEngagement } from './engagement-locks.js';
import { EngagementScoreEntity } from './engagement-score.entity.js';
import { ENGAGEMENT_POLICIES, type EngagementPolicies } from './engagement.policies.js';

const DAY_MS = 86_400_000;

export interface ScoreCustomersCommand {
  readonly manager: EntityManager;
  /** X3 customer codes to (re)score. */
  readonly customerCodes: readonly string[];
  /** The moment the recency weighting is measured at (default now). */
  readonly asOf?: number;
}

/**
 * Recomputes the Last Engagement Score of X3 customers from the activities of every prospect of their
 * golden record(s) within the horizon, and returns the score events of those whose score, activity
 * count or last engagement changed (they are stored as the last published ones).
 */
@Injectable()
export class ScoreCustomersUseCase {
  constructor(
    private readonly directory: CustomerDirectory,
    @Inject(ENGAGEMENT_POLICIES) private readonly policies: EngagementPolicies,
  ) {}

  async execute(command: ScoreCustomersCommand): Promise<EngagementScore[]> {
    const { manager } = command;
    const { policy } = this.policies;
    const asOf = command.asOf ?? Date.now();
    const since = new Date(asOf - policy.horizonDays * DAY_MS);
    const changed: EngagementScore[] = [];
    const codes = [...new Set(command.customerCodes)].sort();
    if (codes.length === 0) return changed;
    await lockForEngagement(manager, { customers: codes });
    // Everything the customers need, read once for all of them (a batch rescoring hundreds).
    const customersByCode = await this.directory.byX3CustomerCodes(manager, codes);
    const allProspects = [
      ...new Set([...customersByCode.values()].flat().flatMap((c) => c.pardotProspectIds)),
    ];
    const activities =
      allProspects.length === 0
        ? []
        : await manager
            .getRepository(EngagementActivityEntity)
            .createQueryBuilder('a')
            .where('a.prospect_id = ANY(:prospects)', { prospects: allProspects })
            .andWhere('a.occurred_at >= :since', { since })
            .getMany();
    const activitiesOf = new Map<string, EngagementActivityEntity[]>();
    for (const row of activities)
      activitiesOf.set(row.prospectId, [...(activitiesOf.get(row.prospectId) ?? []), row]);
    const repository = manager.getRepository(EngagementScoreEntity);
    const previousScores = new Map(
      (await repository.find({ where: { x3CustomerCode: In(codes) } })).map((row) => [
        row.x3CustomerCode,
        row,
      ]),
    );
    for (const code of codes) {
      const customers = customersByCode.get(code) ?? [];
      const prospects = [...new Set(customers.flatMap((c) => c.pardotProspectIds))];
      const rows = prospects.flatMap((id) => activitiesOf.get(id) ?? []);
      const score = computeEngagementScore(
        rows.map((row) => ({
          id: row.activityId,
          prospectId: row.prospectId,
          type: row.activityType,
          createdAt: row.occurredAt.getTime(),
        })),
        asOf,
        policy,
      );
      const event = engagementScoreEvent(
        score,
        { x3CustomerCode: code, goldenId: customers[0]?.goldenId ?? null },
        policy,
      );
      const previous = previousScores.get(code);
      if (
        previous &&
        previous.score === event.score &&
        previous.activityCount === event.activityCount &&
        (previous.lastActivityAt?.getTime() ?? null) === (event.lastActivityAt?.getTime() ?? null)
      )
        continue;
      if (!previous && event.activityCount === 0) continue;
      await repository.save({
        x3CustomerCode: code,
        goldenId: event.goldenId,
        score: event.score,
        activityCount: event.activityCount,
        lastActivityAt: event.lastActivityAt,
        computedAt: event.computedAt,
      });
      changed.push(event);
    }
    return changed;
  }

  /**
   * Forgets the activities older than the policy's horizon at `asOf` (they no longer count), so the
   * table holds at most a horizon of activities; returns how many were removed.
   */
  async forgetActivitiesBeyondHorizon(manager: EntityManager, asOf = Date.now()): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .delete()
      .from(EngagementActivityEntity)
      .where('occurred_at < :since', { since: new Date(asOf - this.policies.policy.horizonDays * DAY_MS) })
      .execute();
    return result.affected ?? 0;
  }

  /** The customers scored so far (the periodic refresh recomputes them as time passes). */
  async scoredCustomers(manager: EntityManager): Promise<string[]> {
    const rows = await manager
      .getRepository(EngagementScoreEntity)
      .find({ select: { x3CustomerCode: true } });
    return rows.map((row) => row.x3CustomerCode);
  }
}
