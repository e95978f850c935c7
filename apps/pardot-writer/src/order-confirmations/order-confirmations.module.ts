import { Module } from '@nestjs/common';
import { OrderReplyHandler } from './order-reply.handler.js';
import { WriteOrderOutcomesUseCase } from './write-order-outcomes.use-case.js';

/** X3 order replies → the Opportunity's X3 order number, status and reason (group pardot-writer.order-confirmations). */
@Module({ providers: [WriteOrderOutcomesUseCase, OrderReplyHandler] })
export class OrderConfirmationsModule {}
