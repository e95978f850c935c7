import type { DecimalText } from '@pardot-x3/mapping';

export type SourceSystem = 'X3' | 'SALESFORCE' | 'PARDOT';
export type SourceEntity = 'BPCUSTOMER' | 'Lead' | 'Contact' | 'Account' | 'Prospect';
export type CreditStatus = 'OK' | 'CHECK' | 'HOLD';

/**
 * Field values follow one rule everywhere: a missing key (undefined) means the system does not know
 * the value; `null` means the system says it is empty. Unknown never overwrites; cleared may.
 */
export interface CustomerAddress {
  readonly line1?: string | null;
  readonly line2?: string | null;
  readonly city?: string | null;
  readonly postalCode?: string | null;
  readonly region?: string | null;
  /** ISO 3166-1 alpha-2. */
  readonly countryCode?: string | null;
}

export interface MoneyAmount {
  /** Exact decimal text, e.g. "184250.4". */
  readonly amount: DecimalText;
  /** ISO 4217. */
  readonly currencyCode: string;
}

/** The business fields of a customer, shared by observations and golden records. */
export interface CustomerFields {
  readonly email?: string | null;
  readonly firstName?: string | null;
  readonly lastName?: string | null;
  readonly companyName?: string | null;
  /** E.164. */
  readonly phone?: string | null;
  readonly address?: CustomerAddress | null;
  /** X3 BPCNUM. */
  readonly customerCode?: string | null;
  /** X3 BCGCOD. */
  readonly customerGroup?: string | null;
  readonly currencyCode?: string | null;
  /** X3 PTE. */
  readonly paymentTerms?: string | null;
  readonly creditStatus?: CreditStatus | null;
  readonly totalRevenue?: MoneyAmount | null;
  /** YYYY-MM-DD. */
  readonly lastPurchaseDate?: string | null;
  readonly industrySegment?: string | null;
  readonly pardotGrade?: string | null;
  readonly pardotScore?: number | null;
  /** Pass-through custom fields; each key is mastered on its own. */
  readonly customFields?: Readonly<Record<string, string | null>>;
}

/** One source system's view of one customer record, in canonical form (the output of a `*-to-canonical` template). */
export interface CustomerObservation extends CustomerFields {
  readonly sourceSystem: SourceSystem;
  readonly sourceEntity: SourceEntity;
  readonly sourceId: string;
  /** The source's modification time, ms since 1970 (not the time we read it). */
  readonly observedAt: number;
}

export interface CrossReferences {
  readonly x3CustomerCodes: readonly string[];
  readonly salesforceLeadIds: readonly string[];
  readonly salesforceContactIds: readonly string[];
  readonly salesforceAccountIds: readonly string[];
  readonly pardotProspectIds: readonly string[];
}

export type SurvivorshipRuleKind = 'system-of-record' | 'last-writer-wins' | 'source-priority';

/** Where a golden field's value came from, and why it won. */
export interface FieldProvenance {
  readonly system: SourceSystem;
  readonly entity: SourceEntity;
  readonly sourceId: string;
  readonly observedAt: number;
  readonly rule: SurvivorshipRuleKind;
  /** A sentence for people: "X3 is the system of record for address: from X3 BPCUSTOMER C000123, changed 2026-11-20T09:15:00.000Z". */
  readonly explanation: string;
}

/** The mastered customer: one per real customer, whatever the number of source records. */
export interface GoldenCustomer extends CustomerFields {
  readonly goldenId: string;
  /** Increases by one with every change. */
  readonly version: number;
  /** Source time of the earliest observation (the oldest golden record survives a merge). */
  readonly createdAt: number;
  /** Source time of the newest observation applied. */
  readonly updatedAt: number;
  readonly customFields: Readonly<Record<string, string | null>>;
  readonly xrefs: CrossReferences;
  /** Per mastered field (`email`, `address`, `customFields.Foo__c`, …). */
  readonly provenance: Readonly<Record<string, FieldProvenance>>;
  /** Golden ids absorbed into this one by merges. */
  readonly mergedFrom: readonly string[];
}
