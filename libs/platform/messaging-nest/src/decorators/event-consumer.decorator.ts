import { DiscoveryService } from '@nestjs/core';
import type { ConsumerGroupDefinition } from '@pardot-x3/canonical';

/**
 * Marks a provider whose methods handle the events of one catalog consumer group:
 *
 * ```ts
 * @Injectable()
 * @EventConsumer(CONSUMER_GROUPS.mdmCustomerMastering)
 * export class CustomerObservationHandler {
 *   @HandleEvent(TOPICS.customerObservationRecordedV1)
 *   async handle(observation: CustomerObservation, context: MessageContext): Promise<void> { ... }
 * }
 * ```
 * Several providers may serve one group; together they need one handler per topic of the group.
 */
export const EventConsumer = DiscoveryService.createDecorator<ConsumerGroupDefinition>();
