/**
 * One deterministic "world" shared by the three sandboxes: seeded with the same number, the X3
 * customer, the Pardot prospect and the Salesforce Contact of the same person carry the same email,
 * company and product codes. Each sandbox takes its slice (X3: companies as customers, products,
 * stock; Pardot: people as prospects, visitor activities; Salesforce: accounts, contacts, leads,
 * products, opportunities).
 */
export interface World {
  readonly seed: number;
  /** The instant the world's dates are relative to (fixed by default, so worlds are reproducible). */
  readonly referenceDate: string;
  readonly counts: ResolvedWorldCounts;
  readonly companies: readonly WorldCompany[];
  /** Contacts (working at one of `companies`) first, then leads (whose company is not a customer). */
  readonly people: readonly WorldPerson[];
  readonly products: readonly WorldProduct[];
  readonly sites: readonly WorldSite[];
  /** One row per product and site. */
  readonly stock: readonly WorldStock[];
  readonly opportunities: readonly WorldOpportunity[];
  readonly visitorActivities: readonly WorldVisitorActivity[];
}

/** How many of each thing a world holds; every field is optional (see DEFAULT_WORLD_COUNTS). */
export interface WorldCounts {
  /** Customer companies (X3 BPCUSTOMER, Salesforce Account). */
  readonly companies?: number;
  /** People working at those companies (Salesforce Contact, Pardot prospect); spread over the companies. */
  readonly contacts?: number;
  /** People whose company is not a customer yet (Salesforce Lead, Pardot prospect). */
  readonly leads?: number;
  /** Sellable items (X3 ITMMASTER, Salesforce Product2). */
  readonly products?: number;
  /** Stock sites (X3 STOFCY), at most WORLD_SITES.length. */
  readonly sites?: number;
  /** Salesforce Opportunities with line items, each for a customer company. */
  readonly opportunities?: number;
  /** Pardot visitor activities, spread over the people. */
  readonly visitorActivities?: number;
}

export type ResolvedWorldCounts = { readonly [K in keyof WorldCounts]-?: number };

/** ISO 3166-1 alpha-2 country codes the generator uses. */
export type WorldCountry = 'US' | 'GB' | 'FR' | 'DE' | 'ES' | 'IT' | 'NL';

export interface WorldAddress {
  readonly street: string;
  readonly city: string;
  readonly postcode: string;
  /** State or region, where the country has one in addresses (US). */
  readonly state?: string;
  readonly country: WorldCountry;
}

export interface WorldCompany {
  /** Stable key inside the world, e.g. "company-0001". */
  readonly key: string;
  /** The ERP customer code (X3 BPCNUM), e.g. "C00001"; also the external id Salesforce and Pardot carry. */
  readonly customerCode: string;
  readonly name: string;
  readonly industry: string;
  readonly website: string;
  /** Mail domain of its people, e.g. "northwind-cycles.example". */
  readonly domain: string;
  readonly phone: string;
  readonly address: WorldAddress;
  /** ISO 4217. */
  readonly currency: 'EUR' | 'GBP' | 'USD';
  readonly employees: number;
  readonly annualRevenue: number;
  /** Authorised credit in `currency`. */
  readonly creditLimit: number;
  /** Deliveries and new orders blocked by credit control. */
  readonly creditHold: boolean;
  readonly createdAt: string;
}

export interface WorldPerson {
  readonly key: string;
  readonly kind: 'contact' | 'lead';
  readonly firstName: string;
  readonly lastName: string;
  readonly email: string;
  readonly phone: string;
  readonly title: string;
  /** The customer company a contact works at; absent for leads. */
  readonly companyKey?: string;
  /** The company name as the person gives it (a lead's company is not a customer). */
  readonly companyName: string;
  readonly address: WorldAddress;
  /** Marketing score (Pardot `score`). */
  readonly score: number;
  readonly createdAt: string;
}

export interface WorldProduct {
  /** Product code (X3 ITMREF, Salesforce ProductCode), e.g. "BIK-1001". */
  readonly code: string;
  readonly name: string;
  readonly family: string;
  /** List price in EUR. */
  readonly price: number;
  readonly currency: 'EUR';
  /** Sales and stock unit, e.g. "UN". */
  readonly unit: string;
  readonly weightKg: number;
  /** EAN-13 with a valid check digit. */
  readonly ean: string;
  readonly createdAt: string;
}

export interface WorldSite {
  /** Site code (X3 FCY), e.g. "FR011". */
  readonly code: string;
  readonly name: string;
  readonly country: WorldCountry;
}

export interface WorldStock {
  readonly productCode: string;
  readonly site: string;
  /** Physical quantity on hand. */
  readonly onHand: number;
  /** Already allocated to open orders (never more than onHand). */
  readonly allocated: number;
}

export interface WorldOpportunity {
  readonly key: string;
  readonly companyKey: string;
  /** The company's first contact. */
  readonly contactKey?: string;
  readonly name: string;
  readonly stage: string;
  readonly closeDate: string;
  /** The currency of the product price list. */
  readonly currency: 'EUR';
  readonly amount: number;
  readonly lines: readonly WorldOpportunityLine[];
}

export interface WorldOpportunityLine {
  readonly productCode: string;
  readonly quantity: number;
  readonly unitPrice: number;
}

export interface WorldVisitorActivity {
  /** Numeric, increasing with createdAt. */
  readonly id: number;
  readonly personKey: string;
  /** Pardot visitor activity type code (1 Click, 2 View, 4 Success, 6 Sent, 11 Open, 20 Visit, …). */
  readonly type: number;
  readonly typeName: string;
  readonly details: string;
  readonly campaignName: string;
  readonly createdAt: string;
}
