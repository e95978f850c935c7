/** A prospect as Pardot v5 returns it: the requested fields (camelCase; custom fields `…__c`). */
export interface PardotProspect {
  readonly id: number;
  readonly email?: string;
  readonly [field: string]: unknown;
}

/** Field values to write (v5 camelCase names, custom fields by API name, e.g. `ERP_Customer_Code__c`). */
export type PardotFieldValues = Readonly<Record<string, unknown>>;

export interface PardotProspectQuery {
  /** Fields to return (`fields` is required by v5). */
  readonly fields: readonly string[];
  /** Prospects updated at or after this instant (polling watermark). */
  readonly updatedSince?: Date;
  /** Prospects updated strictly before this instant. */
  readonly updatedBefore?: Date;
  /** Page size, ≤ 1000 (default 200). */
  readonly pageSize?: number;
  /** `true`, `false` (default) or `all`. */
  readonly deleted?: 'true' | 'false' | 'all';
}

export interface PardotVisitorActivityQuery {
  readonly fields: readonly string[];
  readonly createdSince?: Date;
  readonly createdBefore?: Date;
  readonly prospectId?: number;
  readonly pageSize?: number;
}

/** A record of any v5 object, with the requested fields. */
export interface PardotObject {
  readonly id: number;
  readonly [field: string]: unknown;
}

export interface PardotExternalActivity {
  /** DeveloperName of the activity type (must be registered under the extension and active). */
  readonly type: string;
  /** The prospect's email; the activity lands on the prospect(s) with that email. */
  readonly email: string;
  /** E.g. the X3 order number or an amount. */
  readonly value: string;
  readonly activityDate?: Date;
  /** Default: the configured extension. */
  readonly extension?: string;
}

/** External activities created in a time window (e.g. to confirm whether an earlier submission landed). */
export interface PardotExternalActivityQuery {
  readonly fields?: readonly string[];
  readonly createdSince: Date;
  readonly createdBefore?: Date;
  readonly pageSize?: number;
}

/** An external activity as Account Engagement returns it (`GET /external-activities`). */
export interface PardotExternalActivityRecord {
  readonly id: number;
  readonly extension?: string | null;
  readonly type?: string | null;
  readonly value?: string | null;
  readonly email?: string | null;
  readonly activityDate?: string | null;
  readonly createdAt?: string | null;
}
