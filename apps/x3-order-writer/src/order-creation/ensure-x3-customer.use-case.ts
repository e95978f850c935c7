import { Inject, Injectable, Logger } from '@nestjs/common';
import type {
  CustomerObservation as CanonicalCustomerObservation,
  ExternalReference,
  OrderCustomer,
} from '@pardot-x3/canonical';
import { customerObservationToCanonical, parseCustomerObservation } from '@pardot-x3/customer-master';
import { mapRecord, nullPrototypeRecord, type JsonValue, type MappedRecord } from '@pardot-x3/mapping';
import type { EntityManager } from '@pardot-x3/persistence';
import { planX3Customer } from '@pardot-x3/sales-orders';
import { X3BusinessError, X3Client, x3Equals, type X3Resource, type X3Values } from '@pardot-x3/x3-connector';
import { CustomerDirectory, type KnownCustomer } from '../customer-directory/customer-directory.service.js';
import { CustomerRefusedError } from './customer-refused.error.js';
import { ORDER_CREATION_POLICIES, type OrderCreationPolicies } from './order-creation.policies.js';
import { X3CustomerLinkEntity } from './x3-customer-link.entity.js';

export interface EnsureX3CustomerCommand {
  readonly manager: EntityManager;
  readonly customer: OrderCustomer;
}

/** How the X3 customer of an order was found. */
export type X3CustomerSource =
  /** the request named it (the Account's X3 customer code) */
  | 'given'
  /** the golden customer is cross-referenced to it */
  | 'known'
  /** this service created or adopted it for the same customer before */
  | 'recorded'
  /** X3 already had a customer with exactly the values we would have created */
  | 'adopted'
  /** created now, with the financial defaults */
  | 'created';

export interface EnsuredX3Customer {
  readonly customerCode: string;
  readonly source: X3CustomerSource;
  readonly goldenId: string | null;
  readonly email: string | null;
  /** What mdm must learn when the customer is new to it: the X3 customer, linked to the Salesforce Account. */
  readonly observation?: CanonicalCustomerObservation;
}

/** Advisory-lock namespace of customer keys (with the key itself, hashed by PostgreSQL). */
const LOCK_PREFIX = 'x3-order-writer:customer:';

/**
 * Makes sure the customer of an order exists in X3, and is created at most once: the code the request
 * names; else the X3 code cross-referenced to the golden customer; else the one this service recorded
 * for the same golden customer or Account; else an identical customer already in X3 (adopted); else a
 * new one with the configured financial defaults. Concurrent orders of one customer (other
 * partitions, other replicas) wait for each other on a PostgreSQL advisory lock per customer key,
 * held until the order's transaction ends; the record survives restarts; a crash between the X3
 * creation and our commit is caught by the look-up of identical customers.
 */
@Injectable()
export class EnsureX3CustomerUseCase {
  private readonly logger = new Logger(EnsureX3CustomerUseCase.name);

  constructor(
    private readonly x3: X3Client,
    private readonly directory: CustomerDirectory,
    @Inject(ORDER_CREATION_POLICIES) private readonly policies: OrderCreationPolicies,
  ) {}

  async execute({ manager, customer }: EnsureX3CustomerCommand): Promise<EnsuredX3Customer> {
    const golden = await this.goldenOf(manager, customer);
    const email = customer.email ?? text(golden?.record['email']) ?? null;
    const goldenId = golden?.goldenId ?? customer.goldenId ?? null;
    if (customer.x3CustomerCode)
      return { customerCode: customer.x3CustomerCode, source: 'given', goldenId, email };

    const keys = [
      ...(goldenId ? [`golden:${goldenId}`] : []),
      ...(customer.salesforceAccountId ? [`sf-account:${customer.salesforceAccountId}`] : []),
    ].sort();
    if (keys.length === 0)
      throw new CustomerRefusedError(
        'the order names neither an X3 customer, nor a Salesforce Account, nor a golden customer',
      );
    for (const key of keys)
      await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${LOCK_PREFIX}${key}`]);

    const known = [...(golden?.x3CustomerCodes ?? [])].sort()[0];
    if (known !== undefined) return { customerCode: known, source: 'known', goldenId, email };
    const links = await manager
      .getRepository(X3CustomerLinkEntity)
      .createQueryBuilder('l')
      .where('l.customer_key IN (:...keys)', { keys })
      .orderBy('l.recorded_at', 'ASC')
      .getMany();
    const recorded = links[0];
    if (recorded) {
      await this.record(manager, keys, recorded.x3CustomerCode, recorded.origin);
      return { customerCode: recorded.x3CustomerCode, source: 'recorded', goldenId, email };
    }

    const values = this.creationValues(customer, golden, keys[0] ?? '');
    const existing = await this.findIdentical(values);
    const created = existing ?? (await this.create(values));
    const code = String(created['BPCNUM'] ?? created.$key ?? '');
    if (code === '') throw new Error(`Sage X3 returned a customer without a code for ${keys.join(', ')}`);
    await this.record(manager, keys, code, existing ? 'adopted' : 'created');
    this.logger.log(
      { customer: code, keys, adopted: Boolean(existing) },
      existing ? 'identical X3 customer adopted' : 'X3 customer created with the financial defaults',
    );
    return {
      customerCode: code,
      source: existing ? 'adopted' : 'created',
      goldenId,
      email,
      observation: this.observation(created, customer),
    };
  }

  private async goldenOf(
    manager: EntityManager,
    customer: OrderCustomer,
  ): Promise<KnownCustomer | undefined> {
    if (customer.goldenId) {
      const byId = await this.directory.byGoldenId(manager, customer.goldenId);
      if (byId) return byId;
    }
    return customer.salesforceAccountId
      ? this.directory.bySalesforceAccount(manager, customer.salesforceAccountId)
      : undefined;
  }

  /** The BPCUSTOMER to create: the golden customer (or the request's Account data) through the template, plus the defaults. */
  private creationValues(
    customer: OrderCustomer,
    golden: KnownCustomer | undefined,
    customerKey: string,
  ): X3Values {
    const fromRequest: Record<string, JsonValue> = {
      companyName: customer.companyName === '' ? null : customer.companyName,
      email: customer.email,
      phone: customer.phone,
      address: customer.billingAddress ? { ...customer.billingAddress } : null,
      customerGroup: customer.customerGroup,
      paymentTerms: customer.paymentTerms,
    };
    // The golden record's keys are copied in: a record without a prototype keeps any of them a plain
    // key (mapRecord refuses __proto__, constructor and prototype), never the input's prototype.
    const input = Object.assign(nullPrototypeRecord<JsonValue>(), fromRequest);
    for (const [field, value] of Object.entries(golden?.record ?? {}))
      if (value !== null && value !== undefined) input[field] = value as JsonValue;
    const mapped = mapRecord(this.policies.goldenToX3Customer, input);
    if (mapped.outcome === 'skipped')
      throw new CustomerRefusedError(`the customer cannot be created: ${mapped.reason}`);
    if (mapped.outcome === 'rejected')
      throw new CustomerRefusedError(
        `the customer cannot be created in Sage X3: ${mapped.problems.map((p) => p.message).join('; ')}`,
      );
    const plan = planX3Customer(
      { existingCustomerCodes: [], customer: mapped.record, customerKey },
      this.policies.customerDefaults,
    );
    return plan.action === 'create' ? withoutEmpty(plan.customer) : { BPCNUM: plan.customerCode };
  }

  /** A customer X3 already has with the name, e-mail and postcode we would create: adopted, not duplicated. */
  private async findIdentical(values: X3Values): Promise<X3Resource | undefined> {
    const clauses = (['BPCNAM', 'WEB', 'POSCOD', 'CRY'] as const)
      .filter((field) => typeof values[field] === 'string' && values[field] !== '')
      .map((field) => x3Equals(field, String(values[field])));
    if (clauses.length === 0) return undefined;
    const [found] = await this.x3.findCustomers(clauses.join(' and '));
    return found;
  }

  private async create(values: X3Values): Promise<X3Resource> {
    try {
      return (await this.x3.createCustomer(values)).customer;
    } catch (error) {
      if (error instanceof X3BusinessError) {
        const messages = error.diagnoses.map((d) => d.message);
        throw new CustomerRefusedError(
          `Sage X3 refused to create the customer ${JSON.stringify(values['BPCNAM'] ?? '')}: ${messages.join('; ')}`,
          messages,
        );
      }
      throw error;
    }
  }

  private async record(
    manager: EntityManager,
    keys: readonly string[],
    code: string,
    origin: X3CustomerLinkEntity['origin'],
  ): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(X3CustomerLinkEntity)
      .values(keys.map((customerKey) => ({ customerKey, x3CustomerCode: code, origin })))
      .orIgnore()
      .execute();
  }

  /** The new X3 customer as mdm reads customers (x3-customer-to-canonical), linked to the order's Account. */
  private observation(record: X3Resource, customer: OrderCustomer): CanonicalCustomerObservation | undefined {
    const mapped = mapRecord(this.policies.x3CustomerToCanonical, record);
    if (mapped.outcome !== 'mapped') {
      this.logger.warn(
        { customer: record['BPCNUM'], outcome: mapped.outcome },
        'the new X3 customer could not be mapped for mdm; it will learn of it through x3-ingest',
      );
      return undefined;
    }
    try {
      const links: ExternalReference[] = customer.salesforceAccountId
        ? [{ system: 'SALESFORCE', entity: 'Account', id: customer.salesforceAccountId }]
        : [];
      return customerObservationToCanonical(parseCustomerObservation(mapped.record), { links });
    } catch (error) {
      this.logger.warn(
        { err: error, customer: record['BPCNUM'] },
        'the new X3 customer is not a valid observation',
      );
      return undefined;
    }
  }
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The values to send: nothing empty (X3 would clear or refuse it), lists and records kept. */
function withoutEmpty(record: MappedRecord): X3Values {
  // Object.fromEntries defines own properties: a "__proto__" key stays a key, never a prototype.
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== null && value !== ''),
  ) as X3Values;
}
