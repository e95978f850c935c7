/**
 * The custom Opportunity fields where the order flow writes what Sage X3 did with the order (the
 * salesforce-ingest reads them back with the Opportunity; the order mapping skips one that already has
 * an order number).
 */
export const ORDER_OUTCOME_FIELDS = {
  /** X3 sales order number (SOHNUM), when the order was created. */
  orderNumber: 'X3_Order_Number__c',
  /** `Created` or `Rejected`. */
  status: 'X3_Order_Status__c',
  /** Why X3 refused the order (null clears an earlier reason). */
  rejectionReason: 'X3_Order_Message__c',
} as const;
