import { Injectable } from '@nestjs/common';
import { TOPICS, type EngagementActivity, type SourceRecordChanged } from '@pardot-x3/canonical';
import { mapToCanonical, MappingCatalog, sourceRecordInput } from '@pardot-x3/mapping';
import { NonRetriableError } from '@pardot-x3/messaging';

/**
 * A Pardot visitor activity → the canonical engagement activity (pardot-visitor-activity-to-canonical);
 * undefined for a deleted one or one the template leaves out; bad data is refused with every problem.
 */
@Injectable()
export class MapVisitorActivityUseCase {
  constructor(private readonly catalog: MappingCatalog) {}

  execute(change: SourceRecordChanged): EngagementActivity | undefined {
    if (change.changeType === 'DELETED') return undefined;
    const result = mapToCanonical(
      this.catalog.get('pardot-visitor-activity-to-canonical'),
      sourceRecordInput(change),
      TOPICS.engagementActivityRecordedV1.value,
    );
    if (result.outcome === 'skipped') return undefined;
    if (result.outcome === 'rejected')
      throw new NonRetriableError(
        `${result.templateId} rejected Pardot visitor activity ${change.recordId}: ${result.problems.join('; ')}`,
      );
    return result.value;
  }
}
