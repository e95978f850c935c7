import { Module } from '@nestjs/common';
import { MapVisitorActivityUseCase } from './map-visitor-activity.use-case.js';
import { VisitorActivityHandler } from './visitor-activity.handler.js';

/** Pardot visitor activities → canonical engagement activities (group transformer.engagement). */
@Module({ providers: [MapVisitorActivityUseCase, VisitorActivityHandler] })
export class EngagementModule {}
