import { Injectable } from '@nestjs/common';
import type { GoldenCustomer } from '@pardot-x3/canonical';
import type { EntityManager } from '@pardot-x3/persistence';
import { GoldenContactEntity } from './golden-contact.entity.js';

/** The golden customers' e-mail by X3 customer code, in pardot-writer's own table (fed from Kafka). */
@Injectable()
export class CustomerDirectory {
  /** Applies a golden record unless a newer version is already known. */
  async record(manager: EntityManager, golden: GoldenCustomer): Promise<void> {
    await manager.query(
      `INSERT INTO pardot_writer_golden_contact (golden_id, version, email, x3_customer_codes, updated_at)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (golden_id) DO UPDATE SET version = EXCLUDED.version, email = EXCLUDED.email,
         x3_customer_codes = EXCLUDED.x3_customer_codes, updated_at = EXCLUDED.updated_at
       WHERE pardot_writer_golden_contact.version < EXCLUDED.version`,
      [golden.goldenId, golden.version, golden.email, [...golden.xrefs.x3CustomerCodes], golden.updatedAt],
    );
  }

  async remove(manager: EntityManager, goldenId: string): Promise<void> {
    await manager.getRepository(GoldenContactEntity).delete({ goldenId });
  }

  /**
   * Who an X3 customer's activities go to: the e-mail of its golden customer (the most recently changed
   * one with an e-mail, if several); `no-email` when its golden customers are known and none has one;
   * `unknown` when mdm has not mastered the customer yet.
   */
  async recipientOfX3Customer(
    manager: EntityManager,
    code: string,
  ): Promise<{ readonly kind: 'email'; readonly email: string } | { readonly kind: 'no-email' | 'unknown' }> {
    const rows = await manager
      .getRepository(GoldenContactEntity)
      .createQueryBuilder('g')
      .where(':code = ANY(g.x3_customer_codes)', { code })
      .orderBy('g.updated_at', 'DESC')
      .getMany();
    const withEmail = rows.find((row) => row.email);
    if (withEmail?.email) return { kind: 'email', email: withEmail.email };
    return { kind: rows.length > 0 ? 'no-email' : 'unknown' };
  }
}
