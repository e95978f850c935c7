import { z } from 'zod';

/** A Salesforce Opportunity id: 15 or 18 characters starting with the Opportunity prefix 006. */
export const opportunityIdSchema = z
  .string({ message: 'must be a Salesforce Opportunity id (15 or 18 characters, 006…)' })
  .regex(
    /^006[A-Za-z0-9]{12}([A-Za-z0-9]{3})?$/,
    'must be a Salesforce Opportunity id (15 or 18 characters, 006…)',
  );

/** `POST /orders/confirmations` body: `{"opportunityId": "006…"}` (other keys, which a Flow may add, are ignored). */
export const confirmOrderRequestSchema = z.object({ opportunityId: opportunityIdSchema });

/**
 * `GET /orders/confirmations/:opportunityId`: the same id rule, so a NUL byte or any other text never
 * reaches PostgreSQL (it answered 500).
 */
export const orderConfirmationParamsSchema = z.object({ opportunityId: opportunityIdSchema });
