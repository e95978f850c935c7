import { TOPICS, type SourceRecordChanged, type TopicDefinition } from '@pardot-x3/canonical';

/** What pardot-x3 reads from one Sage X3 class, and where its changes go. */
export interface X3SourceClass {
  /** The X3 class (BPCUSTOMER, SORDER, SDELIVERY, ITMMVT). */
  readonly className: X3SourceClassName;
  /** Key properties; a composite key is joined with `~` (the api1 convention), e.g. `BIK-1001~FR011`. */
  readonly keyFields: readonly string[];
  /** The line table delivered with the record as `lines`, and the property that numbers its lines. */
  readonly lines?: { readonly table: string; readonly lineKey: string };
  /** The catalog topic of its source events. */
  readonly topic: TopicDefinition<SourceRecordChanged>;
}

export type X3SourceClassName = 'BPCUSTOMER' | 'SORDER' | 'SDELIVERY' | 'ITMMVT';

/** The Sage X3 classes whose changes pardot-x3 ingests (webhooks and the `UPDDATTIM` poller). */
export const X3_SOURCE_CLASSES: Readonly<Record<X3SourceClassName, X3SourceClass>> = {
  BPCUSTOMER: { className: 'BPCUSTOMER', keyFields: ['BPCNUM'], topic: TOPICS.x3CustomerChangedV1 },
  SORDER: {
    className: 'SORDER',
    keyFields: ['SOHNUM'],
    lines: { table: 'SORDERQ', lineKey: 'SOPLIN' },
    topic: TOPICS.x3SalesOrderChangedV1,
  },
  SDELIVERY: {
    className: 'SDELIVERY',
    keyFields: ['SDHNUM'],
    lines: { table: 'SDELIVERYD', lineKey: 'SDDLIN' },
    topic: TOPICS.x3DeliveryChangedV1,
  },
  ITMMVT: { className: 'ITMMVT', keyFields: ['ITMREF', 'STOFCY'], topic: TOPICS.x3StockChangedV1 },
};

export const X3_SOURCE_CLASS_NAMES = Object.keys(X3_SOURCE_CLASSES) as X3SourceClassName[];

export function isX3SourceClass(name: string): name is X3SourceClassName {
  return Object.hasOwn(X3_SOURCE_CLASSES, name);
}
