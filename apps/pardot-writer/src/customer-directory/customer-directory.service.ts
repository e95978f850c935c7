import { Injectable } from '@nestjs/common';
import type { GoldenCustomer } from '@pardot-x3/canonical';
import { queryPrepared, type EntityManager } from '@pardot-x3/persistence';
import { GoldenContactEntity } from './golden-contact.entity.js';

/** The golden customers' e-mail by X3 customer code, in pardot-writer's own table (fed from Kafka). */
@Injectable()
export class CustomerDirectory {
  /**
   * Applies golden records (a batch, in offset order) in one statement: the newest version of each
   * golden id, unless a newer one is already known.
   */
  async recordAll(manager: EntityManager, goldens: readonly GoldenCustomer[]): Promise<void> {
    const newest = new Map<string, GoldenCustomer>();
    for (const golden of goldens) {
      const known = newest.get(golden.goldenId);
      if (!known || BigInt(known.version) < BigInt(golden.version)) newest.set(golden.goldenId, golden);
    }
    if (newest.size === 0) return;
    const rows = [...newest.values()].map((golden) => ({
      golden_id: golden.goldenId,
      version: String(golden.version),
      email: golden.email ?? null,
      codes: [...golden.xrefs.x3CustomerCodes],
      updated_at: golden.updatedAt,
    }));
    await queryPrepared(
      manager,
      `INSERT INTO pardot_writer_golden_contact (golden_id, version, email, x3_customer_codes, updated_at)
       SELECT r.golden_id, r.version, r.email, ARRAY(SELECT jsonb_array_elements_text(r.codes)), r.updated_at
         FROM jsonb_to_recordset($1::jsonb)
           AS r(golden_id text, version bigint, email text, codes jsonb, updated_at timestamptz)
       ON CONFLICT (golden_id) DO UPDATE SET version = EXCLUDED.version, email = EXCLUDED.email,
         x3_customer_codes = EXCLUDED.x3_customer_codes, updated_at = EXCLUDED.updated_at
       WHERE pardot_writer_golden_contact.version < EXCLUDED.version`,
      [JSON.stringify(rows)],
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
