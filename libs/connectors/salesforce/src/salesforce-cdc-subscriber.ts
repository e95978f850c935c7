import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelayMs, DEFAULT_RETRY_POLICY } from '@pardot-x3/failure-policy';
import type { Logger } from '@pardot-x3/observability';
// jsforce's core; its streaming API (faye) is loaded by the first subscription, so that a service that
// imports this package without subscribing does not hold it (docs/decisions/0132)
import { Connection } from 'jsforce/lib/core.js';
import type { CdcEvent, ReplayPosition, ReplayPositionStore } from './change-event.types.js';
import { isAuthenticationFailure, parseCdcMessage, replayRejectionReason } from './cdc-message.js';
import type { SalesforceTokenProvider } from './salesforce-auth.js';

/** CometD replay presets. */
export const REPLAY_NEW_EVENTS_ONLY = -1;
export const REPLAY_ALL_RETAINED = -2;

export interface SalesforceCdcSubscriberOptions {
  readonly auth: SalesforceTokenProvider;
  readonly apiVersion: string;
  /** Our `Sforce-Call-Options` client id: events whose changeOrigin names it are flagged `echo`. */
  readonly callClientId: string;
  /** `/data/ChangeEvents` or one entity's channel, e.g. `/data/AccountChangeEvent`. */
  readonly channel: string;
  readonly store: ReplayPositionStore;
  /**
   * Called once per event, strictly in order. Resolve only when the event is durable (e.g. acknowledged
   * by Kafka): the subscriber then saves its replay position. A rejection makes the subscriber
   * resubscribe from the last saved position, so the event comes again.
   */
  readonly handler: (event: CdcEvent) => Promise<void>;
  /** Where to start when the store has no position yet; default: every retained event (-2). */
  readonly startWithoutPosition?: 'all-retained' | 'new-only';
  readonly logger?: Logger;
}

interface FayeClient {
  subscribe(channel: string, listener: (data: unknown) => void): PromiseLike<void> & { cancel(): void };
  disconnect(): void;
  on(event: string, listener: () => void): void;
}

interface FayeMessage {
  channel?: unknown;
  successful?: unknown;
  error?: unknown;
  ext?: unknown;
}

/**
 * Change Data Capture over jsforce streaming (CometD) with the Replay extension. Starts after the
 * durable position the caller stored, hands each event to the handler in order, saves the position
 * once the handler resolved, and:
 * - on a refused/expired replay id, resubscribes for new events and first delivers a
 *   `replay-expired` event so the caller re-reads the missed window instead of skipping it;
 * - on a token the server no longer accepts, gets a new one and resubscribes after the last event
 *   received (nothing lost, nothing repeated);
 * - on a handler failure, resubscribes from the last saved position (the event comes again).
 */
export class SalesforceCdcSubscriber {
  /** Created by the first subscription, once jsforce's streaming API is loaded (it attaches to new connections only). */
  private conn?: Connection;
  private client?: FayeClient;
  private queue: CdcEvent[] = [];
  private working?: Promise<void>;
  private stopped = false;
  private saved?: ReplayPosition;
  /** Replay id of the newest event received on the current client (resume point within this process). */
  private lastReceived?: number;
  private generation = 0;
  private reconnecting?: Promise<void>;
  private failures = 0;

  constructor(private readonly options: SalesforceCdcSubscriberOptions) {}

  /** Subscribes; resolves once Salesforce accepted the subscription (or the expired-id fallback did). */
  async start(): Promise<void> {
    this.stopped = false;
    this.saved = await this.options.store.load(this.options.channel);
    const start =
      this.saved?.cdcReplayId ??
      (this.options.startWithoutPosition === 'new-only' ? REPLAY_NEW_EVENTS_ONLY : REPLAY_ALL_RETAINED);
    this.options.logger?.info(
      { channel: this.options.channel, replayFrom: start },
      'subscribing to Salesforce Change Data Capture',
    );
    await this.subscribe(start);
  }

  /** Unsubscribes and waits for the event being handled (if any) to finish. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.teardown();
    this.queue = [];
    await this.working;
  }

  /** The last position saved to the store. */
  get position(): ReplayPosition | undefined {
    return this.saved;
  }

  private async subscribe(replayFrom: number): Promise<void> {
    const generation = ++this.generation;
    const session = await this.options.auth.session();
    const { StreamingExtension } = await import('jsforce/lib/api/streaming.js');
    this.conn ??= new Connection({ version: this.options.apiVersion });
    this.conn.instanceUrl = session.instanceUrl;
    this.conn.accessToken = session.accessToken;
    let rejection: string | undefined;
    const watchdog = {
      incoming: (message: FayeMessage, callback: (m: FayeMessage) => void) => {
        if (generation === this.generation) {
          rejection ??= replayRejectionReason(message);
          if (isAuthenticationFailure(message)) this.scheduleReconnect('token', session.accessToken);
        }
        callback(message);
      },
    };
    const replay = new StreamingExtension.Replay(this.options.channel, replayFrom);
    const client = this.conn.streaming.createClient([replay, watchdog]) as unknown as FayeClient;
    this.client = client;
    client.on('transport:down', () =>
      this.options.logger?.warn(
        { channel: this.options.channel },
        'Salesforce streaming connection lost; reconnecting',
      ),
    );
    client.on('transport:up', () =>
      this.options.logger?.debug({ channel: this.options.channel }, 'Salesforce streaming connection up'),
    );
    try {
      await client.subscribe(this.options.channel, (data) => this.receive(generation, data));
    } catch (error) {
      if (rejection !== undefined && replayFrom >= 0) {
        await this.recoverFromRejectedReplay(rejection);
        return;
      }
      this.teardown();
      const text = error instanceof Error ? error.message : JSON.stringify(error);
      throw new Error(`Salesforce refused the subscription to ${this.options.channel}: ${rejection ?? text}`);
    }
    this.failures = 0;
  }

  private async recoverFromRejectedReplay(reason: string): Promise<void> {
    const stored = this.saved ?? { cdcReplayId: -1 };
    this.options.logger?.warn(
      { channel: this.options.channel, cdcReplayId: stored.cdcReplayId, reason },
      'Salesforce refused the stored replay id (older than the retention window?); subscribing for new events and asking for a re-read of the missed window',
    );
    this.teardown();
    await this.subscribe(REPLAY_NEW_EVENTS_ONLY);
    this.queue.unshift({
      kind: 'replay-expired',
      channel: this.options.channel,
      storedPosition: stored,
      since: stored.commitTimestamp === undefined ? undefined : new Date(stored.commitTimestamp),
      until: new Date(),
      reason,
    });
    this.pump();
  }

  private receive(generation: number, data: unknown): void {
    if (generation !== this.generation || this.stopped) return;
    let event: CdcEvent;
    try {
      event = parseCdcMessage(this.options.channel, data, this.options.callClientId);
    } catch (error) {
      this.options.logger?.error(
        { channel: this.options.channel, error: (error as Error).message },
        'ignoring a message that is not a change event',
      );
      return;
    }
    this.lastReceived = event.cdcReplayId;
    this.queue.push(event);
    this.pump();
  }

  private pump(): void {
    if (this.working) return;
    this.working = this.drain().finally(() => {
      this.working = undefined;
      if (this.queue.length > 0 && !this.stopped) this.pump();
    });
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.queue.length > 0) {
      const event = this.queue[0] as CdcEvent;
      try {
        await this.options.handler(event);
        if (event.kind !== 'replay-expired') {
          const position: ReplayPosition = {
            cdcReplayId: event.cdcReplayId,
            commitTimestamp: event.header.commitTimestamp,
          };
          await this.options.store.save(this.options.channel, position);
          this.saved = position;
        }
        if (!this.stopped) this.queue.shift();
      } catch (error) {
        this.options.logger?.error(
          { channel: this.options.channel, kind: event.kind, error: (error as Error).message },
          'handling a change event failed; resubscribing from the last saved position',
        );
        this.queue = [];
        this.scheduleReconnect('handler');
        return;
      }
    }
  }

  /**
   * `token`: the access token was refused; resume after the last event received (in memory).
   * `handler`: an event could not be made durable; resume after the last saved position.
   */
  private scheduleReconnect(reason: 'token' | 'handler', refusedToken?: string): void {
    if (this.stopped || this.reconnecting) return;
    if (refusedToken) this.options.auth.invalidate(refusedToken);
    this.teardown();
    const from =
      reason === 'token'
        ? (this.lastReceived ?? this.saved?.cdcReplayId ?? REPLAY_ALL_RETAINED)
        : (this.saved?.cdcReplayId ?? REPLAY_ALL_RETAINED);
    if (reason === 'handler') this.lastReceived = this.saved?.cdcReplayId;
    this.reconnecting = (async () => {
      while (!this.stopped) {
        this.failures++;
        await sleep(backoffDelayMs(this.failures, DEFAULT_RETRY_POLICY));
        try {
          await this.subscribe(reason === 'handler' ? (this.saved?.cdcReplayId ?? from) : from);
          return;
        } catch (error) {
          this.options.logger?.error(
            { channel: this.options.channel, error: (error as Error).message },
            'resubscribing to Salesforce failed; trying again',
          );
        }
      }
    })().finally(() => {
      this.reconnecting = undefined;
    });
  }

  private teardown(): void {
    this.generation++;
    const client = this.client;
    this.client = undefined;
    if (client) {
      try {
        client.disconnect();
      } catch {
        // already disconnected
      }
    }
  }
}
