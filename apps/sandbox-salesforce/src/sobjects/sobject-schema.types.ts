/** Field types as `describe` reports them (a subset of Salesforce's `FieldType`). */
export type FieldType =
  | 'id'
  | 'string'
  | 'textarea'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'reference'
  | 'boolean'
  | 'currency'
  | 'double'
  | 'int'
  | 'percent'
  | 'date'
  | 'datetime';

export interface FieldDef {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  /** Maximum length of text fields. */
  readonly length: number;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  /** Set by the server on create when the client leaves it out (e.g. OwnerId, IsActive). */
  readonly defaultedOnCreate: boolean;
  readonly externalId: boolean;
  readonly unique: boolean;
  readonly calculated: boolean;
  readonly referenceTo: readonly string[];
  /** Parent relationship name for reference fields (`Account` for `AccountId`). */
  readonly relationshipName?: string;
  readonly picklistValues: readonly string[];
  readonly restrictedPicklist: boolean;
  /** Compound field this one belongs to, e.g. `{ field: 'BillingAddress', component: 'City' }`. */
  readonly compound?: { readonly field: string; readonly component: string };
  readonly precision: number;
  readonly scale: number;
}

export interface ChildRelationshipDef {
  readonly relationshipName: string;
  readonly childSObject: string;
  readonly field: string;
  readonly cascadeDelete: boolean;
}

/** Which API serves an object: the REST data API, or the Tooling API (`/tooling/query`). */
export type SObjectApi = 'data' | 'tooling';

export interface SObjectDef {
  readonly name: string;
  /** Default 'data'. */
  readonly api?: SObjectApi;
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly fields: readonly FieldDef[];
  readonly childRelationships: readonly ChildRelationshipDef[];
  /** Selected for Change Data Capture (has a `/data/<Name>ChangeEvent` channel). */
  readonly changeDataCapture: boolean;
}

/** A stored record: API field names to JSON values (dates and datetimes as ISO strings). */
export type SObjectRecord = Record<string, unknown>;
