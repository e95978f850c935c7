import { Module } from '@nestjs/common';
import { PardotOwnWriteStore } from './pardot-own-write.store.js';
import { ProspectUpsertedHandler } from './prospect-upserted.handler.js';

/** What pardot-writer wrote to prospects, to recognise the echoes of those writes. */
@Module({ providers: [PardotOwnWriteStore, ProspectUpsertedHandler], exports: [PardotOwnWriteStore] })
export class PardotOwnWritesModule {}
