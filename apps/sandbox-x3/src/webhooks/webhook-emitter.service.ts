import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { signWebhook } from '@pardot-x3/access';
import { NOTIFYING_CLASSES, X3_CLASSES, type X3ClassName } from '../catalog/x3-class-catalog.constants.js';
import { detailsResource } from '../query/x3-query.util.js';
import { SANDBOX_X3_CONFIG, type SandboxX3Config } from '../sandbox-x3.config.js';
import type { X3Change } from '../store/x3-record.types.js';
import { X3Store } from '../store/x3-store.service.js';
import type { WebhookDelivery, WebhookTarget } from './webhook.types.js';

const MAX_KEPT_DELIVERIES = 20_000;

/**
 * Sends every change of BPCUSTOMER, SORDER, SDELIVERY and ITMMVT to the configured targets as a
 * signed JSON POST (X3 itself has no outbound events; this stands in for a workflow callout). Per
 * target, notifications go out one at a time in change order; a non-2xx answer or a network error is
 * retried after 1, 2, 4, … × X3_WEBHOOK_RETRY_BASE_MS, up to X3_WEBHOOK_MAX_ATTEMPTS attempts, then
 * marked failed and the next one goes. Each attempt is signed with a fresh X-X3-Timestamp.
 */
@Injectable()
export class WebhookEmitter implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('X3Webhooks');
  private readonly targets = new Map<string, WebhookTarget>();
  private readonly queues = new Map<string, WebhookDelivery[]>();
  private readonly busy = new Set<string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private deliveries: WebhookDelivery[] = [];
  private unsubscribe?: () => void;
  private generation = 0;

  constructor(
    private readonly store: X3Store,
    @Inject(SANDBOX_X3_CONFIG) private readonly config: SandboxX3Config,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.store.onChange((change) => this.enqueue(change));
    this.addConfiguredTarget();
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
    this.stopTimers();
  }

  addTarget(input: {
    id?: string;
    url: string;
    secret: string;
    classes?: readonly X3ClassName[];
  }): WebhookTarget {
    const target: WebhookTarget = {
      id: input.id ?? `target-${this.targets.size + 1}-${randomUUID().slice(0, 8)}`,
      url: input.url,
      secret: input.secret,
      classes: input.classes && input.classes.length > 0 ? [...input.classes] : [...NOTIFYING_CLASSES],
    };
    this.targets.set(target.id, target);
    return target;
  }

  removeTarget(id: string): boolean {
    this.queues.delete(id);
    return this.targets.delete(id);
  }

  listTargets(): WebhookTarget[] {
    return [...this.targets.values()];
  }

  listDeliveries(filter: { state?: string; targetId?: string } = {}): WebhookDelivery[] {
    return this.deliveries.filter(
      (d) =>
        (!filter.state || d.state === filter.state) && (!filter.targetId || d.targetId === filter.targetId),
    );
  }

  /** Forgets targets, queues and history; the configured target (X3_WEBHOOK_URL) comes back. */
  reset(): void {
    this.generation += 1;
    this.stopTimers();
    this.targets.clear();
    this.queues.clear();
    this.busy.clear();
    this.deliveries = [];
    this.addConfiguredTarget();
  }

  private addConfiguredTarget(): void {
    if (this.config.X3_WEBHOOK_URL)
      this.addTarget({
        id: 'configured',
        url: this.config.X3_WEBHOOK_URL,
        secret: this.config.X3_WEBHOOK_SECRET,
      });
  }

  private enqueue(change: X3Change): void {
    const matching = [...this.targets.values()].filter((t) => t.classes.includes(change.className));
    if (matching.length === 0) return;
    const eventId = randomUUID();
    const body = JSON.stringify({
      eventId,
      folder: change.folder,
      class: change.className,
      representation: X3_CLASSES[change.className].representation,
      key: change.key,
      changeType: change.changeType,
      UPDDATTIM: change.record.values['UPDDATTIM'] ?? null,
      UPDTICK: change.record.values['UPDTICK'] ?? null,
      occurredAt: change.occurredAt.toISOString(),
      record: detailsResource(change.record),
    });
    for (const target of matching) {
      const delivery: WebhookDelivery = {
        id: randomUUID(),
        targetId: target.id,
        eventId,
        folder: change.folder,
        className: change.className,
        key: change.key,
        changeType: change.changeType,
        state: 'pending',
        attempts: [],
        body,
      };
      this.deliveries.push(delivery);
      if (this.deliveries.length > MAX_KEPT_DELIVERIES)
        this.deliveries.splice(0, this.deliveries.length - MAX_KEPT_DELIVERIES);
      const queue = this.queues.get(target.id) ?? [];
      queue.push(delivery);
      this.queues.set(target.id, queue);
      void this.pump(target.id);
    }
  }

  private async pump(targetId: string): Promise<void> {
    if (this.busy.has(targetId)) return;
    this.busy.add(targetId);
    const generation = this.generation;
    try {
      for (;;) {
        const queue = this.queues.get(targetId);
        const target = this.targets.get(targetId);
        const delivery = queue?.[0];
        if (!queue || !target || !delivery || generation !== this.generation) return;
        const ok = await this.attempt(target, delivery);
        if (generation !== this.generation) return;
        if (ok || delivery.attempts.length >= this.config.X3_WEBHOOK_MAX_ATTEMPTS) {
          delivery.state = ok ? 'delivered' : 'failed';
          delete delivery.nextAttemptAt;
          if (!ok)
            this.logger.warn(
              `notification ${delivery.eventId} to ${target.url} failed after ${delivery.attempts.length} attempts`,
            );
          queue.shift();
          continue;
        }
        const delay = this.config.X3_WEBHOOK_RETRY_BASE_MS * 2 ** (delivery.attempts.length - 1);
        delivery.nextAttemptAt = new Date(Date.now() + delay).toISOString();
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            resolve();
          }, delay);
          timer.unref();
          this.timers.add(timer);
        });
      }
    } finally {
      if (generation === this.generation) this.busy.delete(targetId);
    }
  }

  private async attempt(target: WebhookTarget, delivery: WebhookDelivery): Promise<boolean> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const at = new Date().toISOString();
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'pardot-x3-sandbox-x3',
          'x-x3-event-id': delivery.eventId,
          'x-x3-timestamp': timestamp,
          'x-x3-signature': signWebhook(target.secret, timestamp, delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(this.config.X3_WEBHOOK_TIMEOUT_MS),
      });
      await res.arrayBuffer().catch(() => undefined);
      delivery.attempts.push({ at, status: res.status });
      return res.status >= 200 && res.status < 300;
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
      delivery.attempts.push({
        at,
        error: `${error instanceof Error ? error.message : String(error)}${cause}`,
      });
      return false;
    }
  }

  private stopTimers(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
