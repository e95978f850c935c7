import type { World } from '@pardot-x3/sandbox-kit';
import type { SObjectStore, StoreTransaction } from '../sobjects/sobject-store.service.js';
import type { WriteContext } from '../sobjects/record-change.types.js';

/** Whole seconds, as Salesforce stores audit dates. */
function second(iso: string): string {
  return new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString();
}

/**
 * Salesforce's slice of the shared world: companies as Accounts (X3 customer code as external id),
 * contacts as Contacts of their Account, leads as Leads, products as Product2 (ProductCode and X3
 * item code), opportunities with line items. Same seed, same emails and codes as Pardot and X3.
 */
export function loadWorld(store: SObjectStore, world: World, context: WriteContext): void {
  store.load(context, (tx: StoreTransaction) => {
    const accountIds = new Map<string, string>();
    const customerCodes = new Map(world.companies.map((c) => [c.key, c.customerCode]));
    for (const company of world.companies) {
      const account = store.create(tx, 'Account', {
        Name: company.name,
        Type: 'Customer - Direct',
        Industry: company.industry,
        BillingStreet: company.address.street,
        BillingCity: company.address.city,
        BillingState: company.address.state ?? null,
        BillingPostalCode: company.address.postcode,
        BillingCountry: company.address.country,
        Phone: company.phone,
        Website: company.website,
        AnnualRevenue: company.annualRevenue,
        NumberOfEmployees: company.employees,
        X3_Customer_Code__c: company.customerCode,
        Credit_Hold__c: company.creditHold,
      });
      accountIds.set(company.key, account['Id'] as string);
      store.backdate('Account', account['Id'] as string, second(company.createdAt));
    }
    const contactIds = new Map<string, string>();
    for (const person of world.people) {
      const common = {
        FirstName: person.firstName,
        LastName: person.lastName,
        Email: person.email,
        Phone: person.phone,
        Title: person.title,
      };
      if (person.kind === 'contact') {
        const contact = store.create(tx, 'Contact', {
          ...common,
          AccountId: person.companyKey ? (accountIds.get(person.companyKey) ?? null) : null,
          MailingStreet: person.address.street,
          MailingCity: person.address.city,
          MailingState: person.address.state ?? null,
          MailingPostalCode: person.address.postcode,
          MailingCountry: person.address.country,
          Integration_Key__c: person.email,
          X3_Customer_Code__c: person.companyKey ? (customerCodes.get(person.companyKey) ?? null) : null,
        });
        contactIds.set(person.key, contact['Id'] as string);
        store.backdate('Contact', contact['Id'] as string, second(person.createdAt));
      } else {
        const lead = store.create(tx, 'Lead', {
          ...common,
          Company: person.companyName,
          Street: person.address.street,
          City: person.address.city,
          State: person.address.state ?? null,
          PostalCode: person.address.postcode,
          Country: person.address.country,
          LeadSource: 'Web',
        });
        store.backdate('Lead', lead['Id'] as string, second(person.createdAt));
      }
    }
    const productIds = new Map<string, string>();
    const available = new Map<string, number>();
    for (const s of world.stock)
      available.set(s.productCode, (available.get(s.productCode) ?? 0) + s.onHand - s.allocated);
    for (const product of world.products) {
      const record = store.create(tx, 'Product2', {
        Name: product.name,
        ProductCode: product.code,
        Family: product.family,
        IsActive: true,
        StockKeepingUnit: product.ean,
        X3_Item_Code__c: product.code,
        List_Price__c: product.price,
        Stock_Available__c: available.get(product.code) ?? 0,
      });
      productIds.set(product.code, record['Id'] as string);
      store.backdate('Product2', record['Id'] as string, second(product.createdAt));
    }
    for (const opportunity of world.opportunities) {
      const record = store.create(tx, 'Opportunity', {
        Name: opportunity.name,
        AccountId: accountIds.get(opportunity.companyKey) ?? null,
        StageName: opportunity.stage,
        CloseDate: opportunity.closeDate.slice(0, 10),
        Amount: opportunity.amount,
        Integration_Key__c: opportunity.key,
      });
      for (const line of opportunity.lines) {
        const productId = productIds.get(line.productCode);
        if (!productId) continue;
        store.create(tx, 'OpportunityLineItem', {
          OpportunityId: record['Id'],
          Product2Id: productId,
          Quantity: line.quantity,
          UnitPrice: line.unitPrice,
        });
      }
    }
  });
}
