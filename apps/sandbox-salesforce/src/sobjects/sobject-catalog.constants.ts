import type { ChildRelationshipDef, FieldDef, FieldType, SObjectDef } from './sobject-schema.types.js';

export type FieldOptions = Partial<Omit<FieldDef, 'name' | 'type'>>;

const TEXT_LENGTH: Partial<Record<FieldType, number>> = {
  id: 18,
  reference: 18,
  string: 255,
  textarea: 32_000,
  email: 80,
  phone: 40,
  url: 255,
  picklist: 255,
};

/** A field definition with describe's defaults for its type (also for custom fields declared at run time). */
export function field(name: string, type: FieldType, options: FieldOptions = {}): FieldDef {
  const numeric = type === 'currency' || type === 'double' || type === 'percent' || type === 'int';
  return {
    name,
    type,
    label:
      options.label ??
      name
        .replace(/__c$/, '')
        .replace(/_/g, ' ')
        .replace(/([a-z])([A-Z])/g, '$1 $2'),
    length: options.length ?? TEXT_LENGTH[type] ?? 0,
    nillable: options.nillable ?? true,
    createable: options.createable ?? true,
    updateable: options.updateable ?? true,
    defaultedOnCreate: options.defaultedOnCreate ?? false,
    externalId: options.externalId ?? false,
    unique: options.unique ?? false,
    calculated: options.calculated ?? false,
    referenceTo: options.referenceTo ?? [],
    relationshipName: options.relationshipName,
    picklistValues: options.picklistValues ?? [],
    restrictedPicklist: options.restrictedPicklist ?? false,
    compound: options.compound,
    precision: options.precision ?? (numeric ? 18 : 0),
    scale: options.scale ?? (type === 'int' ? 0 : numeric ? 2 : 0),
  };
}

const readOnly: FieldOptions = { createable: false, updateable: false };
const required: FieldOptions = { nillable: false };

/** Fields every object has; the server maintains them. */
function systemFields(): FieldDef[] {
  return [
    field('Id', 'id', { ...readOnly, nillable: false, label: 'Record ID' }),
    field('IsDeleted', 'boolean', {
      ...readOnly,
      nillable: false,
      defaultedOnCreate: true,
      label: 'Deleted',
    }),
    field('CreatedDate', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    field('CreatedById', 'reference', {
      ...readOnly,
      nillable: false,
      defaultedOnCreate: true,
      referenceTo: ['User'],
      relationshipName: 'CreatedBy',
    }),
    field('LastModifiedDate', 'datetime', { ...readOnly, nillable: false, defaultedOnCreate: true }),
    field('LastModifiedById', 'reference', {
      ...readOnly,
      nillable: false,
      defaultedOnCreate: true,
      referenceTo: ['User'],
      relationshipName: 'LastModifiedBy',
    }),
    field('SystemModstamp', 'datetime', {
      ...readOnly,
      nillable: false,
      defaultedOnCreate: true,
      label: 'System Modstamp',
    }),
  ];
}

const owner = (): FieldDef =>
  field('OwnerId', 'reference', {
    nillable: false,
    defaultedOnCreate: true,
    referenceTo: ['User'],
    relationshipName: 'Owner',
    label: 'Owner ID',
  });

function address(prefix: string, compoundName: string): FieldDef[] {
  const part = (component: string, type: FieldType = 'string', length = 80): FieldDef =>
    field(`${prefix}${component}`, type, { length, compound: { field: compoundName, component } });
  return [
    part('Street', 'textarea', 255),
    part('City', 'string', 40),
    part('State', 'string', 80),
    part('PostalCode', 'string', 20),
    part('Country', 'string', 80),
  ];
}

function personName(): FieldDef[] {
  return [
    field('Salutation', 'picklist', {
      picklistValues: ['Mr.', 'Ms.', 'Mrs.', 'Dr.', 'Prof.'],
      compound: { field: 'Name', component: 'Salutation' },
    }),
    field('FirstName', 'string', { length: 40, compound: { field: 'Name', component: 'FirstName' } }),
    field('LastName', 'string', {
      ...required,
      length: 80,
      compound: { field: 'Name', component: 'LastName' },
    }),
    field('Name', 'string', { ...readOnly, calculated: true, length: 121, label: 'Full Name' }),
  ];
}

const INDUSTRIES = [
  'Agriculture',
  'Apparel',
  'Banking',
  'Chemicals',
  'Construction',
  'Education',
  'Electronics',
  'Energy',
  'Engineering',
  'Food & Beverage',
  'Healthcare',
  'Manufacturing',
  'Retail',
  'Technology',
  'Transportation',
  'Other',
];
export const OPPORTUNITY_STAGES: Readonly<
  Record<string, { probability: number; closed: boolean; won: boolean }>
> = {
  Prospecting: { probability: 10, closed: false, won: false },
  Qualification: { probability: 10, closed: false, won: false },
  'Needs Analysis': { probability: 20, closed: false, won: false },
  'Value Proposition': { probability: 50, closed: false, won: false },
  'Id. Decision Makers': { probability: 60, closed: false, won: false },
  'Perception Analysis': { probability: 70, closed: false, won: false },
  'Proposal/Price Quote': { probability: 75, closed: false, won: false },
  'Negotiation/Review': { probability: 90, closed: false, won: false },
  'Closed Won': { probability: 100, closed: true, won: true },
  'Closed Lost': { probability: 0, closed: true, won: false },
};

const child = (
  relationshipName: string,
  childSObject: string,
  fieldName: string,
  cascadeDelete: boolean,
): ChildRelationshipDef => ({
  relationshipName,
  childSObject,
  field: fieldName,
  cascadeDelete,
});

/**
 * The objects this sandbox serves, with the standard fields connectors read and apis.md names (e.g.
 * Account.Rating, the field of its CDC example) and the custom fields (`__c`) pardot-x3 uses; an org's
 * own custom fields are declared at start or through the admin API (custom-field.util.ts). External id fields: Account.X3_Customer_Code__c, Contact.Integration_Key__c,
 * Lead.Pardot_Prospect_Id__c, Contact.Pardot_Prospect_Id__c, Opportunity.Integration_Key__c,
 * Product2.X3_Item_Code__c.
 */
export const SOBJECT_CATALOG: readonly SObjectDef[] = [
  {
    name: 'Account',
    label: 'Account',
    labelPlural: 'Accounts',
    keyPrefix: '001',
    changeDataCapture: true,
    childRelationships: [
      child('Contacts', 'Contact', 'AccountId', true),
      child('Opportunities', 'Opportunity', 'AccountId', true),
    ],
    fields: [
      ...systemFields(),
      field('Name', 'string', { ...required, label: 'Account Name' }),
      field('AccountNumber', 'string', { length: 40, label: 'Account Number' }),
      field('Site', 'string', { length: 80, label: 'Account Site' }),
      field('ParentId', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Parent',
        label: 'Parent Account ID',
      }),
      field('Type', 'picklist', {
        picklistValues: ['Prospect', 'Customer - Direct', 'Customer - Channel', 'Partner', 'Other'],
      }),
      field('Industry', 'picklist', { picklistValues: INDUSTRIES }),
      ...address('Billing', 'BillingAddress'),
      ...address('Shipping', 'ShippingAddress'),
      field('Phone', 'phone'),
      field('Fax', 'phone', { label: 'Account Fax' }),
      field('Website', 'url'),
      field('Rating', 'picklist', { picklistValues: ['Hot', 'Warm', 'Cold'], label: 'Account Rating' }),
      field('AccountSource', 'picklist', {
        picklistValues: ['Web', 'Phone Inquiry', 'Partner Referral', 'Purchased List', 'Other'],
        label: 'Account Source',
      }),
      field('AnnualRevenue', 'currency'),
      field('NumberOfEmployees', 'int', { precision: 8 }),
      field('Description', 'textarea'),
      owner(),
      field('X3_Customer_Code__c', 'string', {
        length: 15,
        externalId: true,
        unique: true,
        label: 'X3 Customer Code',
      }),
      field('Customer_Grade__c', 'picklist', {
        picklistValues: ['A', 'B', 'C', 'D'],
        label: 'Customer Grade',
      }),
      field('Credit_Hold__c', 'boolean', { nillable: false, defaultedOnCreate: true, label: 'Credit Hold' }),
      field('Last_Engagement_Score__c', 'double', { precision: 6, scale: 2, label: 'Last Engagement Score' }),
    ],
  },
  {
    name: 'Contact',
    label: 'Contact',
    labelPlural: 'Contacts',
    keyPrefix: '003',
    changeDataCapture: true,
    childRelationships: [],
    fields: [
      ...systemFields(),
      field('AccountId', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Account',
        label: 'Account ID',
      }),
      ...personName(),
      field('Title', 'string', { length: 128 }),
      field('Department', 'string', { length: 80 }),
      field('Email', 'email'),
      field('Phone', 'phone'),
      field('MobilePhone', 'phone'),
      ...address('Mailing', 'MailingAddress'),
      field('LeadSource', 'picklist', {
        picklistValues: ['Web', 'Phone Inquiry', 'Partner Referral', 'Trade Show', 'Other'],
      }),
      field('HasOptedOutOfEmail', 'boolean', {
        nillable: false,
        defaultedOnCreate: true,
        label: 'Email Opt Out',
      }),
      owner(),
      field('Integration_Key__c', 'string', {
        length: 80,
        externalId: true,
        unique: true,
        label: 'Integration Key',
      }),
      field('Pardot_Prospect_Id__c', 'string', { length: 20, externalId: true, label: 'Pardot Prospect Id' }),
      field('X3_Customer_Code__c', 'string', { length: 15, label: 'X3 Customer Code' }),
      field('Last_Engagement_Score__c', 'double', { precision: 6, scale: 2, label: 'Last Engagement Score' }),
    ],
  },
  {
    name: 'Lead',
    label: 'Lead',
    labelPlural: 'Leads',
    keyPrefix: '00Q',
    changeDataCapture: true,
    childRelationships: [],
    fields: [
      ...systemFields(),
      ...personName(),
      field('Company', 'string', { ...required }),
      field('Website', 'url'),
      field('Title', 'string', { length: 128 }),
      field('Email', 'email'),
      field('Phone', 'phone'),
      ...address('', 'Address'),
      field('Industry', 'picklist', { picklistValues: INDUSTRIES }),
      field('Status', 'picklist', {
        nillable: false,
        defaultedOnCreate: true,
        picklistValues: [
          'Open - Not Contacted',
          'Working - Contacted',
          'Closed - Converted',
          'Closed - Not Converted',
        ],
        label: 'Lead Status',
      }),
      field('LeadSource', 'picklist', {
        picklistValues: ['Web', 'Phone Inquiry', 'Partner Referral', 'Trade Show', 'Other'],
      }),
      field('Rating', 'picklist', { picklistValues: ['Hot', 'Warm', 'Cold'] }),
      field('HasOptedOutOfEmail', 'boolean', {
        nillable: false,
        defaultedOnCreate: true,
        label: 'Email Opt Out',
      }),
      field('IsConverted', 'boolean', {
        ...readOnly,
        nillable: false,
        defaultedOnCreate: true,
        label: 'Converted',
      }),
      owner(),
      field('Pardot_Prospect_Id__c', 'string', {
        length: 20,
        externalId: true,
        unique: true,
        label: 'Pardot Prospect Id',
      }),
      field('Last_Engagement_Score__c', 'double', { precision: 6, scale: 2, label: 'Last Engagement Score' }),
    ],
  },
  {
    name: 'Opportunity',
    label: 'Opportunity',
    labelPlural: 'Opportunities',
    keyPrefix: '006',
    changeDataCapture: true,
    childRelationships: [child('OpportunityLineItems', 'OpportunityLineItem', 'OpportunityId', true)],
    fields: [
      ...systemFields(),
      field('AccountId', 'reference', {
        referenceTo: ['Account'],
        relationshipName: 'Account',
        label: 'Account ID',
      }),
      field('Name', 'string', { ...required, length: 120 }),
      field('StageName', 'picklist', {
        ...required,
        picklistValues: Object.keys(OPPORTUNITY_STAGES),
        label: 'Stage',
      }),
      field('CloseDate', 'date', { ...required }),
      field('Amount', 'currency'),
      field('Probability', 'percent', { precision: 3, scale: 0, defaultedOnCreate: true }),
      field('IsClosed', 'boolean', {
        ...readOnly,
        nillable: false,
        defaultedOnCreate: true,
        label: 'Closed',
      }),
      field('IsWon', 'boolean', { ...readOnly, nillable: false, defaultedOnCreate: true, label: 'Won' }),
      field('Type', 'picklist', {
        picklistValues: ['New Customer', 'Existing Customer - Upgrade', 'Existing Customer - Replacement'],
      }),
      field('NextStep', 'string', { label: 'Next Step' }),
      field('Pricebook2Id', 'reference', {
        referenceTo: ['Pricebook2'],
        relationshipName: 'Pricebook2',
        label: 'Price Book ID',
      }),
      field('LeadSource', 'picklist', {
        picklistValues: ['Web', 'Phone Inquiry', 'Partner Referral', 'Trade Show', 'Other'],
      }),
      field('Description', 'textarea'),
      owner(),
      field('Integration_Key__c', 'string', {
        length: 80,
        externalId: true,
        unique: true,
        label: 'Integration Key',
      }),
      field('X3_Order_Number__c', 'string', { length: 20, label: 'X3 Order Number' }),
      field('X3_Order_Status__c', 'picklist', {
        picklistValues: ['Pending', 'Created', 'Rejected', 'Shipped', 'Invoiced'],
        label: 'X3 Order Status',
      }),
      field('X3_Order_Message__c', 'textarea', { length: 1000, label: 'X3 Order Message' }),
    ],
  },
  {
    name: 'OpportunityLineItem',
    label: 'Opportunity Product',
    labelPlural: 'Opportunity Product',
    keyPrefix: '00k',
    changeDataCapture: true,
    childRelationships: [],
    fields: [
      ...systemFields(),
      field('OpportunityId', 'reference', {
        nillable: false,
        updateable: false,
        referenceTo: ['Opportunity'],
        relationshipName: 'Opportunity',
      }),
      field('Product2Id', 'reference', {
        updateable: false,
        referenceTo: ['Product2'],
        relationshipName: 'Product2',
        label: 'Product ID',
      }),
      field('PricebookEntryId', 'reference', {
        updateable: false,
        referenceTo: ['PricebookEntry'],
        relationshipName: 'PricebookEntry',
        label: 'Price Book Entry ID',
      }),
      field('ProductCode', 'string', { ...readOnly, calculated: true, label: 'Product Code' }),
      field('ListPrice', 'currency', { ...readOnly, label: 'List Price' }),
      field('Name', 'string', {
        ...readOnly,
        calculated: true,
        length: 376,
        label: 'Opportunity Product Name',
      }),
      field('Quantity', 'double', { nillable: false, precision: 12, scale: 2 }),
      field('UnitPrice', 'currency', { label: 'Sales Price' }),
      field('TotalPrice', 'currency', { label: 'Total Price' }),
      field('Discount', 'percent'),
      field('ServiceDate', 'date', { label: 'Date' }),
      field('Description', 'string', { label: 'Line Description' }),
    ],
  },
  {
    name: 'Product2',
    label: 'Product',
    labelPlural: 'Products',
    keyPrefix: '01t',
    changeDataCapture: true,
    childRelationships: [],
    fields: [
      ...systemFields(),
      field('Name', 'string', { ...required, label: 'Product Name' }),
      field('ProductCode', 'string'),
      field('Description', 'textarea', { length: 4000 }),
      field('Family', 'picklist', {
        picklistValues: ['Hardware', 'Software', 'Services', 'Consumables', 'Spare Parts'],
      }),
      field('IsActive', 'boolean', { nillable: false, defaultedOnCreate: true, label: 'Active' }),
      field('QuantityUnitOfMeasure', 'picklist', {
        picklistValues: ['Each', 'Box', 'Kg', 'Litre', 'Metre'],
        label: 'Quantity Unit Of Measure',
      }),
      field('StockKeepingUnit', 'string', { length: 180, label: 'Product SKU' }),
      field('X3_Item_Code__c', 'string', {
        length: 20,
        externalId: true,
        unique: true,
        label: 'X3 Item Code',
      }),
      field('List_Price__c', 'currency', { label: 'List Price' }),
      field('Stock_Available__c', 'double', { precision: 12, scale: 2, label: 'Stock Available' }),
      field('Stock_Updated_At__c', 'datetime', { label: 'Stock Updated At' }),
    ],
  },
  // Tooling API objects (served by /tooling/query only): the Marketing App Extension that owns Account
  // Engagement external activity types, and its activity types ("Active in Automations").
  {
    name: 'MarketingAppExtension',
    api: 'tooling',
    label: 'Marketing App Extension',
    labelPlural: 'Marketing App Extensions',
    keyPrefix: '0Ym',
    changeDataCapture: false,
    childRelationships: [
      child('MarketingAppExtActivities', 'MarketingAppExtActivity', 'MarketingAppExtensionId', true),
    ],
    fields: [
      ...systemFields(),
      field('DeveloperName', 'string', { ...required, length: 80, label: 'Developer Name' }),
      field('MasterLabel', 'string', { length: 80, label: 'Label' }),
      field('IsActive', 'boolean', { nillable: false, defaultedOnCreate: true, label: 'Active' }),
    ],
  },
  {
    name: 'MarketingAppExtActivity',
    api: 'tooling',
    label: 'Marketing App Extension Activity',
    labelPlural: 'Marketing App Extension Activities',
    keyPrefix: '0Yn',
    changeDataCapture: false,
    childRelationships: [],
    fields: [
      ...systemFields(),
      field('MarketingAppExtensionId', 'reference', {
        nillable: false,
        referenceTo: ['MarketingAppExtension'],
        relationshipName: 'MarketingAppExtension',
        label: 'Marketing App Extension ID',
      }),
      field('DeveloperName', 'string', { ...required, length: 80, label: 'Developer Name' }),
      field('MasterLabel', 'string', { length: 80, label: 'Label' }),
      field('IsActive', 'boolean', {
        nillable: false,
        defaultedOnCreate: true,
        label: 'Active in Automations',
      }),
    ],
  },
];

/** Stage-derived values Salesforce maintains on Opportunity. */
export function stageInfo(
  stage: unknown,
): { probability: number; closed: boolean; won: boolean } | undefined {
  return typeof stage === 'string' ? OPPORTUNITY_STAGES[stage] : undefined;
}
