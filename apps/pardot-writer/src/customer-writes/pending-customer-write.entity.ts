import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A customer write waiting for its coalescing window to end: the latest values of one target
 * (prospect, Contact, Account). A change within the window replaces the values and moves the window's
 * end (up to CUSTOMER_WRITE_MAX_DELAY_MS after the first change); the window's end is when the write
 * happens. Stored with the consumer's inbox, so a golden record that was consumed is a
 * write that will happen, across restarts and crashes.
 */
@Entity({ name: 'pardot_writer_pending_customer_write' })
@Index('pardot_writer_pending_customer_write_due_idx', ['dueAt'])
export class PendingCustomerWriteEntity {
  /** pardot-prospect, salesforce-contact, salesforce-account. */
  @PrimaryColumn({ name: 'target', type: 'text' })
  target!: string;

  /** The golden id (prospect), or the Salesforce record id (Contact, Account). */
  @PrimaryColumn({ name: 'target_key', type: 'text' })
  targetKey!: string;

  @Column({ name: 'golden_id', type: 'text' })
  goldenId!: string;

  @Column({ name: 'golden_version', type: 'bigint' })
  goldenVersion!: string;

  /** The values to write (the mapping template's output for the newest golden version). */
  @Column({ name: 'payload', type: 'jsonb' })
  payload!: Record<string, unknown>;

  /** For prospects: the Pardot ids cross-referenced to the golden record (written by id when known). */
  @Column({ name: 'external_ids', type: 'jsonb', default: () => `'[]'::jsonb` })
  externalIds!: string[];

  /** Grows with every change of the payload: a write only completes the revision it wrote. */
  @Column({ name: 'revision', type: 'integer', default: 1 })
  revision!: number;

  @Column({ name: 'first_queued_at', type: 'timestamptz' })
  firstQueuedAt!: Date;

  /** When the current coalescing started (the first change, or the end of the write before): the window never slides past CUSTOMER_WRITE_MAX_DELAY_MS after it. */
  @Column({ name: 'coalescing_since', type: 'timestamptz', nullable: true })
  coalescingSince!: Date | null;

  /** When the coalescing window ends (or a retry is due). */
  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  /** Set while a writer works on it; a crashed writer's lease expires. */
  @Column({ name: 'lease_until', type: 'timestamptz', nullable: true })
  leaseUntil!: Date | null;

  @Column({ name: 'attempts', type: 'integer', default: 0 })
  attempts!: number;

  /** pending, or failed (a permanent refusal, kept with its reason until the golden record changes again). */
  @Column({ name: 'state', type: 'text', default: 'pending' })
  state!: string;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError!: string | null;
}
