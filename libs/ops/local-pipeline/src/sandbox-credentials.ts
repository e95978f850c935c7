/**
 * The credentials and setup the three sandboxes start with, and the pipeline uses to reach them on
 * local defaults. They open local stand-ins only; a real org gets its own values through the
 * environment (README, configuration table).
 */

/** The Salesforce sandbox's connected app (client credentials flow). */
export const SANDBOX_SALESFORCE_APP = {
  clientId: 'PX3SandboxConsumerKey',
  clientSecret: 'px3-sandbox-consumer-secret',
  apiVersion: '62.0',
} as const;

/** The Account Engagement business unit of the Pardot sandbox. */
export const SANDBOX_PARDOT_BUSINESS_UNIT = '0Uv5g000000PX3AAAA';

/** Pardot custom fields the enrichment writes (golden-to-pardot-prospect), created in the sandbox at start. */
export const SANDBOX_PARDOT_CUSTOM_FIELDS = [
  'ERP_Customer_Code__c:Text',
  'Last_Engagement_Score__c:Number',
  'Customer_Lifetime_Value__c:Number',
  'Customer_Group__c:Text',
  'Industry_Segment__c:Text',
  'Last_Purchase_Date__c:Date',
  'Credit_Status__c:Text',
] as const;

/** The Marketing App Extension and external activity types (the one-time setup of docs/flows/activities.md). */
export const SANDBOX_ACTIVITY_EXTENSION = 'PardotX3';
export const SANDBOX_ACTIVITY_TYPES = ['X3_Order_Created', 'X3_Order_Shipped', 'X3_Invoice_Posted'] as const;

/** The X3 sandbox: folder, the user pardot-x3 writes as, a user standing for people working in X3. */
export const SANDBOX_X3 = {
  folder: 'SEED',
  integrationUser: { name: 'px3', password: 'px3-sandbox' },
  erpUser: { name: 'erpuser', password: 'erp-sandbox-password' },
  webhookSecret: 'local-x3-webhook-secret',
} as const;

/** The sandboxes' admin API token (X-Admin-Token), their default. */
export const SANDBOX_ADMIN_TOKEN = 'sandbox-admin-token';
