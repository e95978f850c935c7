/** One resource of an api1 payload: `$uuid`, `$key`, `$etag`… and the representation's properties. */
export interface X3Resource {
  readonly $key?: string;
  readonly $uuid?: string;
  readonly $etag?: string;
  readonly [property: string]: unknown;
}

export type X3Values = Readonly<Record<string, unknown>>;

/** A class and its representation; both are required by api1 (names are installation-specific). */
export interface X3ClassRef {
  readonly className: string;
  /** Default: the client's representation for the class (SORDER → SOH, SDELIVERY → SDH), else the class name. */
  readonly representation?: string;
}

export interface X3QueryOptions extends X3ClassRef {
  /** api1 predicate, e.g. `BPCNUM eq 'C0001'` (build it with the helpers in x3-query.util). */
  readonly where?: string;
  /** e.g. `UPDDATTIM asc, BPCNUM asc` (only properties of the query facet). */
  readonly orderBy?: string;
  /** Page size (`count`); X3's default is 20. */
  readonly pageSize?: number;
  /** Start after this key (`key=gt.<key>`). */
  readonly keyAfter?: string;
}

export interface X3ChangeWindow extends X3ClassRef {
  /** Changes at or after this instant (seconds precision: windows overlap, read at least once). */
  readonly since: Date;
  /** Default `UPDDATTIM`. */
  readonly timestampProperty?: string;
  /** Tie-breaker for the order, e.g. the key property (`BPCNUM`). */
  readonly keyProperty?: string;
  readonly pageSize?: number;
}

/** A sales order to create; `customerOrderReference` (CUSORDREF) is the idempotency key (the opportunity id). */
export interface X3SalesOrderRequest {
  readonly customerOrderReference: string;
  /** Header properties (SALFCY, BPCORD, ORDDAT, CUR…); CUSORDREF is set from `customerOrderReference`. */
  readonly header: X3Values;
  /** Lines (ITMREF, QTY, GROPRI…). */
  readonly lines: readonly X3Values[];
}

export interface X3SalesOrderResult {
  /** SOHNUM. */
  readonly orderNumber: string;
  /** False when an order with this CUSORDREF already existed (a redelivered request). */
  readonly created: boolean;
  readonly order: X3Resource;
}

export interface X3CustomerResult {
  /** BPCNUM. */
  readonly customerCode: string;
  readonly customer: X3Resource;
}
