import type { CustomerObservation, SalesOrderReply, SalesOrderRequested } from '@pardot-x3/canonical';

/** A valid customer observation from X3; override what the test is about. */
export function customerObservation(overrides: Partial<CustomerObservation> = {}): CustomerObservation {
  return {
    sourceSystem: 'X3',
    sourceEntity: 'BPCUSTOMER',
    sourceId: 'C0001',
    observedAt: new Date('2026-11-26T10:00:00.000Z'),
    deleted: false,
    email: 'jane.doe@acme.example',
    firstName: 'Jane',
    lastName: 'Doe',
    companyName: 'ACME Industries',
    phone: '+33142685300',
    address: {
      line1: '1 rue de la Paix',
      line2: null,
      city: 'Paris',
      postalCode: '75002',
      region: null,
      countryCode: 'FR',
    },
    customerCode: 'C0001',
    customerGroup: 'KEY',
    currencyCode: 'EUR',
    paymentTerms: '30NET',
    creditStatus: 'OK',
    totalRevenue: { amount: '125000.5', currencyCode: 'EUR' },
    lastPurchaseDate: '2026-11-01',
    industrySegment: 'Manufacturing',
    pardotGrade: null,
    pardotScore: null,
    customFields: { Customer_Lifetime_Value__c: '125000.50' },
    clearedFields: [],
    links: [{ system: 'SALESFORCE', entity: 'Account', id: '001D000000IqhSLIAZ' }],
    quarantinedFields: [],
    ...overrides,
  };
}

export function salesOrderRequested(opportunityId: string): SalesOrderRequested {
  return {
    opportunityId,
    opportunityName: 'ACME - 40 pumps',
    closedAt: new Date('2026-11-26T09:00:00.000Z'),
    customer: {
      x3CustomerCode: 'C0001',
      goldenId: null,
      salesforceAccountId: '001D000000IqhSLIAZ',
      companyName: 'ACME Industries',
      email: 'buyer@acme.example',
      phone: null,
      billingAddress: null,
      shippingAddress: null,
      customerGroup: null,
      paymentTerms: null,
    },
    currencyCode: 'EUR',
    requestedDeliveryDate: '2026-12-15',
    salesSite: null,
    customerOrderReference: null,
    lines: [
      {
        lineNumber: 1,
        sourceLineId: '00k000000000001',
        productCode: 'PUMP-40',
        description: null,
        quantity: '40',
        unitPrice: '199.99',
        discountPercent: null,
      },
    ],
    totalAmount: { amount: '7999.6', currencyCode: 'EUR' },
    customFields: {},
  };
}

export function createdReply(opportunityId: string, orderNumber: string): SalesOrderReply {
  return {
    opportunityId,
    outcome: 'CREATED',
    created: {
      orderNumber,
      opportunityId,
      x3CustomerCode: 'C0001',
      customerCreated: false,
      customerEmail: 'buyer@acme.example',
      orderDate: '2026-11-26',
      createdAt: new Date(),
      salesSite: 'FR01',
      totalAmount: { amount: '7999.6', currencyCode: 'EUR' },
      lines: [],
    },
    rejected: null,
  };
}
