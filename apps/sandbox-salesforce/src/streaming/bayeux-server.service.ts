import { randomBytes } from 'node:crypto';
import { BackgroundLoop } from '@pardot-x3/service-runtime';
import type { ChangeEventLog } from '../cdc/change-event-log.service.js';
import { isChangeEventChannel } from '../cdc/change-event-log.service.js';
import type { BayeuxMessage, BayeuxReply, StreamingAuth } from './bayeux.types.js';

export interface BayeuxServerOptions {
  /** How long a /meta/connect is held when there is nothing to deliver (advice.timeout). */
  readonly timeoutMs: number;
  /** A client that has not connected for this long is forgotten ("403::Unknown client"). */
  readonly maxIntervalMs: number;
}

interface HeldConnect {
  readonly reply: BayeuxReply;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (messages: BayeuxReply[]) => void;
}

interface ClientSession {
  readonly clientId: string;
  /** Channel → replay id of the last event delivered (or the starting point). */
  readonly subscriptions: Map<string, number>;
  connects: number;
  lastSeen: number;
  held?: HeldConnect;
}

const HANDSHAKE = '/meta/handshake';
const CONNECT = '/meta/connect';
const SUBSCRIBE = '/meta/subscribe';
const UNSUBSCRIBE = '/meta/unsubscribe';
const DISCONNECT = '/meta/disconnect';
const INVALID_AUTH = '401::Authentication invalid';

/**
 * The server side of Bayeux long polling as Salesforce's Streaming API speaks it: handshake with the
 * replay extension, connect held until events arrive or the timeout passes, subscribe with a replay
 * id per channel (-1 new events, -2 all retained, n after n), unsubscribe, disconnect; Salesforce's
 * error strings ("403::Unknown client", "401::Authentication invalid", "403::Handshake denied",
 * "400::The replayId {n} you provided was invalid…").
 */
export class BayeuxServer {
  private readonly sessions = new Map<string, ClientSession>();
  private readonly sweeper: BackgroundLoop;

  constructor(
    private readonly log: ChangeEventLog,
    private readonly options: BayeuxServerOptions,
    private readonly clock: () => number = Date.now,
  ) {
    log.onAppend(() => {
      for (const session of this.sessions.values()) this.flush(session);
    });
    this.sweeper = new BackgroundLoop({
      name: 'bayeux-sweep',
      intervalMs: Math.min(10_000, options.maxIntervalMs),
      runAtStart: false,
      run: async () => this.sweep(),
      onError: () => undefined, // sweep() only reads a clock and a map
    });
    this.sweeper.start();
  }

  get clientCount(): number {
    return this.sessions.size;
  }

  /** Answers one HTTP request's messages; resolves when any held connect among them completes. */
  async handle(messages: readonly BayeuxMessage[], auth: StreamingAuth): Promise<BayeuxReply[]> {
    const replies: (BayeuxReply | Promise<BayeuxReply[]>)[] = [];
    for (const message of messages) replies.push(this.handleOne(message, auth, messages.length > 1));
    const out: BayeuxReply[] = [];
    for (const reply of replies) {
      if (reply instanceof Promise) out.push(...(await reply));
      else out.push(reply);
    }
    return out;
  }

  /** Replies to every message with the same error (bad endpoint version, unreadable body). */
  rejectAll(messages: readonly BayeuxMessage[], error: string): BayeuxReply[] {
    return messages.map((m) => ({
      channel: m.channel ?? null,
      id: m.id,
      error,
      successful: false,
      advice: { reconnect: 'none' },
    }));
  }

  /** Ends every held connect (shutdown) and forgets every client. */
  close(): void {
    void this.sweeper.stop();
    for (const session of this.sessions.values()) this.release(session);
    this.sessions.clear();
  }

  /** Forgets every client, as after a server restart: their next connect gets "403::Unknown client". */
  dropAllClients(): void {
    for (const session of this.sessions.values()) this.release(session);
    this.sessions.clear();
  }

  private handleOne(
    message: BayeuxMessage,
    auth: StreamingAuth,
    batched: boolean,
  ): BayeuxReply | Promise<BayeuxReply[]> {
    const channel = typeof message.channel === 'string' ? message.channel : '';
    const base = { channel, ...(message.id !== undefined ? { id: message.id } : {}) };
    if (channel === HANDSHAKE) return this.handshake(base, auth);
    const clientId = typeof message.clientId === 'string' ? message.clientId : '';
    const session = this.sessions.get(clientId);
    if (!session)
      return {
        advice: { reconnect: 'handshake', interval: 0 },
        ...base,
        error: '403::Unknown client',
        successful: false,
      };
    session.lastSeen = this.clock();
    if (!auth.valid) {
      this.release(session);
      this.sessions.delete(session.clientId);
      return {
        clientId,
        advice: { reconnect: 'none', interval: 0 },
        ...base,
        error: INVALID_AUTH,
        successful: false,
      };
    }
    switch (channel) {
      case CONNECT:
        return this.connect(session, message, base, batched);
      case SUBSCRIBE:
        return this.subscribe(session, message, base);
      case UNSUBSCRIBE: {
        const subscription = typeof message.subscription === 'string' ? message.subscription : '';
        session.subscriptions.delete(subscription);
        return { clientId, ...base, subscription, successful: true };
      }
      case DISCONNECT:
        this.release(session);
        this.sessions.delete(session.clientId);
        return { clientId, ...base, successful: true };
      default:
        return { clientId, ...base, error: `403::Publish denied`, successful: false };
    }
  }

  private handshake(base: Record<string, unknown>, auth: StreamingAuth): BayeuxReply {
    if (!auth.valid) {
      return {
        ext: { sfdc: { failureReason: INVALID_AUTH } },
        advice: { reconnect: 'none' },
        ...base,
        error: '403::Handshake denied',
        successful: false,
      };
    }
    const clientId = randomBytes(14)
      .toString('base64url')
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '0')
      .slice(0, 27);
    this.sessions.set(clientId, { clientId, subscriptions: new Map(), connects: 0, lastSeen: this.clock() });
    return {
      ext: { replay: true, 'payload.format': true },
      minimumVersion: '1.0',
      clientId,
      supportedConnectionTypes: ['long-polling'],
      ...base,
      version: '1.0',
      successful: true,
    };
  }

  private connect(
    session: ClientSession,
    message: BayeuxMessage,
    base: Record<string, unknown>,
    batched: boolean,
  ): BayeuxReply | Promise<BayeuxReply[]> {
    if (message.connectionType !== undefined && message.connectionType !== 'long-polling') {
      return {
        clientId: session.clientId,
        ...base,
        error: `400::Invalid connection type {${String(message.connectionType)}}`,
        successful: false,
      };
    }
    this.release(session);
    session.connects += 1;
    const reply: BayeuxReply = { clientId: session.clientId, ...base, successful: true };
    if (session.connects === 1) {
      // The first connect answers at once and carries the advice, as Salesforce's does.
      return Promise.resolve([
        ...this.drain(session),
        { ...reply, advice: { interval: 0, timeout: this.options.timeoutMs, reconnect: 'retry' } },
      ]);
    }
    const ready = this.drain(session);
    const advice = message.advice as { timeout?: unknown } | undefined;
    if (ready.length > 0 || batched || advice?.timeout === 0) return Promise.resolve([...ready, reply]);
    return new Promise<BayeuxReply[]>((resolve) => {
      const timer = setTimeout(() => this.release(session), this.options.timeoutMs);
      session.held = { reply, timer, resolve };
    });
  }

  private subscribe(
    session: ClientSession,
    message: BayeuxMessage,
    base: Record<string, unknown>,
  ): BayeuxReply {
    const clientId = session.clientId;
    const subscription = message.subscription;
    if (typeof subscription !== 'string' || subscription === '')
      return { clientId, ...base, error: '400::Channel name not specified', successful: false };
    const withSubscription = { clientId, ...base, subscription };
    if (!subscription.startsWith('/'))
      return {
        ...withSubscription,
        error: "400::Channel subscriptions must start with a leading '/'",
        successful: false,
      };
    if (!isChangeEventChannel(subscription)) {
      return {
        ...withSubscription,
        error: `400::The channel you requested to subscribe to does not exist {${subscription}}`,
        successful: false,
      };
    }
    const requested = replayFor(message.ext, subscription);
    if (requested !== undefined && (requested === null || !this.log.isReplayable(requested))) {
      return {
        ...withSubscription,
        error: `400::The replayId {${String(requested ?? '')}} you provided was invalid.  Please provide a valid ID, -2 to replay all events, or -1 to replay only new events.`,
        successful: false,
      };
    }
    session.subscriptions.set(subscription, this.log.startAfter(requested ?? -1));
    queueMicrotask(() => this.flush(session));
    return { ...withSubscription, successful: true };
  }

  /** Events not yet delivered to this client, in replay order, marking them delivered. */
  private drain(session: ClientSession): BayeuxReply[] {
    const deliveries: { replayId: number; message: BayeuxReply }[] = [];
    for (const [channel, after] of session.subscriptions) {
      const events = this.log.eventsAfter(channel, after);
      if (events.length === 0) continue;
      session.subscriptions.set(channel, (events[events.length - 1] as { replayId: number }).replayId);
      for (const event of events)
        deliveries.push({ replayId: event.replayId, message: { data: event.data, channel } });
    }
    return deliveries.sort((a, b) => a.replayId - b.replayId).map((d) => d.message);
  }

  /** Completes a held connect when there is something to deliver. */
  private flush(session: ClientSession): void {
    if (!session.held) return;
    const ready = this.drain(session);
    if (ready.length === 0) return;
    const held = session.held;
    session.held = undefined;
    clearTimeout(held.timer);
    held.resolve([...ready, held.reply]);
  }

  /** Answers a held connect now (timeout, a newer connect, disconnect, shutdown). */
  private release(session: ClientSession): void {
    const held = session.held;
    if (!held) return;
    session.held = undefined;
    clearTimeout(held.timer);
    session.lastSeen = this.clock();
    held.resolve([...this.drain(session), held.reply]);
  }

  private sweep(): void {
    const cutoff = this.clock() - this.options.maxIntervalMs;
    for (const session of [...this.sessions.values()]) {
      if (!session.held && session.lastSeen < cutoff) this.sessions.delete(session.clientId);
    }
  }
}

/** The replay id a subscribe asks for: undefined without the extension, null when it is not a number. */
function replayFor(ext: unknown, channel: string): number | null | undefined {
  if (!ext || typeof ext !== 'object') return undefined;
  const replay = (ext as { replay?: unknown }).replay;
  if (!replay || typeof replay !== 'object') return undefined;
  const value = (replay as Record<string, unknown>)[channel];
  if (value === undefined || value === null) return undefined;
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^-?\d+$/.test(value)
        ? Number(value)
        : Number.NaN;
  return Number.isInteger(n) ? n : null;
}
