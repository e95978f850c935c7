import { Module } from '@nestjs/common';
import { SalesforceRecordReader } from './salesforce-record.reader.js';

/** Salesforce records read through the REST API as source events (by id, by window). */
@Module({ providers: [SalesforceRecordReader], exports: [SalesforceRecordReader] })
export class SalesforceReadsModule {}
