import { Module } from '@nestjs/common';
import { CustomerMasteringModule } from '../customer-mastering/customer-mastering.module.js';
import { LinkPardotProspectUseCase } from './link-pardot-prospect.use-case.js';
import { ProspectUpsertedHandler } from './prospect-upserted.handler.js';

/** Pardot prospects upserted by pardot-writer → cross-references of their golden records. */
@Module({
  imports: [CustomerMasteringModule],
  providers: [ProspectUpsertedHandler, LinkPardotProspectUseCase],
})
export class ProspectLinksModule {}
