import { Injectable } from '@nestjs/common';
import type { ChangeType, IngestChannel } from '@pardot-x3/canonical';
import { salesforceRecordSourceChange, type SalesforceSourceObject } from '@pardot-x3/ingestion';
import {
  SalesforceClient,
  soqlFieldList,
  soqlId,
  type SalesforceRecord,
} from '@pardot-x3/salesforce-connector';
import type { SourceEventItem } from '../source-events/source-event.publisher.js';
import { OPPORTUNITY_ORDER_FIELDS, SALESFORCE_SOURCE_FIELDS } from './salesforce-source-fields.constants.js';

type ReadChannel = Extract<IngestChannel, 'CDC' | 'POLL' | 'BACKFILL'>;
type ReadChangeType = Extract<ChangeType, 'SNAPSHOT' | 'UPDATED' | 'CREATED'>;

/**
 * Reads Salesforce records through the REST API as source events: by id (CDC gap events, every
 * Opportunity change — opportunities always come whole, with their Account and line items), and by
 * `SystemModstamp` window (repair of an expired replay id, backfill, reconciliation).
 */
@Injectable()
export class SalesforceRecordReader {
  constructor(private readonly salesforce: SalesforceClient) {}

  /** The records with these ids (gone ones are left out). */
  async byIds(
    sobject: SalesforceSourceObject,
    ids: readonly string[],
    via: ReadChannel,
    changeType: ReadChangeType,
  ): Promise<SourceEventItem[]> {
    if (sobject === 'Opportunity') {
      const items = await Promise.all(ids.map((id) => this.opportunity(id, via, changeType)));
      return items.filter((item): item is SourceEventItem => item !== undefined);
    }
    const records = await this.salesforce.retrieveByIds(sobject, ids, SALESFORCE_SOURCE_FIELDS[sobject]);
    return records.map((record) => this.item(sobject, record, via, changeType));
  }

  /** The Opportunity with its Account's fields and its line items, or undefined when it is gone. */
  async opportunity(
    id: string,
    via: ReadChannel,
    changeType: ReadChangeType,
  ): Promise<SourceEventItem | undefined> {
    // One SOQL call per opportunity: its fields, its Account's, and its line items with their product.
    const f = OPPORTUNITY_ORDER_FIELDS;
    const lineFields = soqlFieldList([...f.lineItem, ...f.product.map((p) => `Product2.${p}`)]);
    const fields = soqlFieldList([...f.opportunity, ...f.account.map((a) => `Account.${a}`)]);
    const [row] = await this.salesforce.queryAll(
      `SELECT ${fields}, (SELECT ${lineFields} FROM OpportunityLineItems ORDER BY Id ASC) ` +
        `FROM Opportunity WHERE Id = ${soqlId(id)}`,
    );
    // Deleted, or not visible to the integration user.
    if (!row) return undefined;
    const { OpportunityLineItems: children, Account: account, ...opportunity } = row;
    const record = {
      ...opportunity,
      ...(account !== null && typeof account === 'object' ? { Account: account } : {}),
      OpportunityLineItems: await this.salesforce.subqueryRecords(children),
    };
    return this.item('Opportunity', record as SalesforceRecord, via, changeType, [
      { relationship: 'OpportunityLineItems', entity: 'OpportunityLineItem' },
    ]);
  }

  /** Every record of the object changed in `[since, until)` by SystemModstamp, in pages. */
  async *window(
    sobject: SalesforceSourceObject,
    since: Date,
    until: Date | undefined,
    via: ReadChannel,
    pageSize = 200,
  ): AsyncGenerator<SourceEventItem[]> {
    const fields = sobject === 'Opportunity' ? ['Id', 'SystemModstamp'] : SALESFORCE_SOURCE_FIELDS[sobject];
    let page: SourceEventItem[] = [];
    let ids: string[] = [];
    for await (const record of this.salesforce.changedSince({ sobject, fields, since, until })) {
      if (sobject === 'Opportunity') ids.push(record.Id);
      else page.push(this.item(sobject, record, via, via === 'BACKFILL' ? 'SNAPSHOT' : 'UPDATED'));
      if (page.length >= pageSize) {
        yield page;
        page = [];
      }
      if (ids.length >= 20) {
        yield await this.byIds('Opportunity', ids, via, via === 'BACKFILL' ? 'SNAPSHOT' : 'UPDATED');
        ids = [];
      }
    }
    if (ids.length > 0)
      yield await this.byIds('Opportunity', ids, via, via === 'BACKFILL' ? 'SNAPSHOT' : 'UPDATED');
    if (page.length > 0) yield page;
  }

  private item(
    sobject: SalesforceSourceObject,
    record: SalesforceRecord,
    via: ReadChannel,
    changeType: ReadChangeType,
    children?: readonly { relationship: string; entity: string }[],
  ): SourceEventItem {
    return salesforceRecordSourceChange({ sobject, record, via, changeType, children });
  }
}
