import { Module } from '@nestjs/common';
import { ErpEventHandler } from './erp-event.handler.js';
import { MapErpEventUseCase } from './map-erp-event.use-case.js';

/** X3 orders, deliveries and invoices → canonical sales events (group transformer.erp-events). */
@Module({ providers: [MapErpEventUseCase, ErpEventHandler] })
export class ErpEventsModule {}
