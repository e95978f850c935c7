import type { SalesforceSourceObject } from '@pardot-x3/ingestion';

/**
 * Fields read through the REST API (gap re-reads, repairs of an expired replay id, backfills,
 * reconciliation), per object: what the `salesforce-*-to-canonical` templates and the order flow read,
 * the integration's custom fields of the reference org (the Salesforce sandbox), and the timestamps.
 * An org without one of the custom fields needs it removed here.
 */
export const SALESFORCE_SOURCE_FIELDS: Readonly<
  Record<Exclude<SalesforceSourceObject, 'Opportunity'>, readonly string[]>
> = {
  Lead: [
    'Id',
    'Salutation',
    'FirstName',
    'LastName',
    'Company',
    'Title',
    'Email',
    'Phone',
    'Street',
    'City',
    'State',
    'PostalCode',
    'Country',
    'Industry',
    'Status',
    'LeadSource',
    'Rating',
    'IsConverted',
    'HasOptedOutOfEmail',
    'Pardot_Prospect_Id__c',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  Contact: [
    'Id',
    'AccountId',
    'Account.Name',
    'Account.X3_Customer_Code__c',
    'Salutation',
    'FirstName',
    'LastName',
    'Title',
    'Department',
    'Email',
    'Phone',
    'MobilePhone',
    'MailingStreet',
    'MailingCity',
    'MailingState',
    'MailingPostalCode',
    'MailingCountry',
    'LeadSource',
    'HasOptedOutOfEmail',
    'Integration_Key__c',
    'Pardot_Prospect_Id__c',
    'X3_Customer_Code__c',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
  Account: [
    'Id',
    'Name',
    'AccountNumber',
    'Type',
    'Industry',
    'Phone',
    'Website',
    'BillingStreet',
    'BillingCity',
    'BillingState',
    'BillingPostalCode',
    'BillingCountry',
    'X3_Customer_Code__c',
    'Customer_Grade__c',
    'Credit_Hold__c',
    'CreatedDate',
    'LastModifiedDate',
    'SystemModstamp',
  ],
};

/**
 * What the order flow reads of an Opportunity, in one SOQL call (parent paths and a child subquery):
 * its own fields, its Account's (`Account.<field>`), and its line items with their product
 * (`Product2.<field>`).
 */
export const OPPORTUNITY_ORDER_FIELDS = {
  opportunity: [
    'Id',
    'Name',
    'AccountId',
    'StageName',
    'IsWon',
    'CloseDate',
    'Amount',
    'Pricebook2Id',
    'LastModifiedDate',
    'SystemModstamp',
    'CreatedDate',
    // the X3 outcome pardot-writer writes back (ORDER_OUTCOME_FIELDS there)
    'X3_Order_Number__c',
    'X3_Order_Status__c',
    'X3_Order_Message__c',
  ],
  lineItem: ['Id', 'OpportunityId', 'Product2Id', 'Quantity', 'UnitPrice', 'TotalPrice', 'Description'],
  product: ['Id', 'ProductCode', 'Name'],
  account: [
    'Id',
    'Name',
    'AccountNumber',
    'BillingStreet',
    'BillingCity',
    'BillingPostalCode',
    'BillingState',
    'BillingCountry',
    'Phone',
    'Website',
    'X3_Customer_Code__c',
  ],
} as const;
