/** A Bayeux message as CometD clients send it (faye, EMP-Connector, CometD Java/JS). */
export interface BayeuxMessage {
  readonly channel?: unknown;
  readonly id?: unknown;
  readonly clientId?: unknown;
  readonly subscription?: unknown;
  readonly connectionType?: unknown;
  readonly version?: unknown;
  readonly supportedConnectionTypes?: unknown;
  readonly advice?: unknown;
  readonly ext?: unknown;
  readonly data?: unknown;
}

/** What the server sends back: replies to meta messages and event deliveries. */
export type BayeuxReply = Record<string, unknown>;

/** The result of checking the session token that came with a CometD request. */
export type StreamingAuth = { readonly valid: true; readonly userId: string } | { readonly valid: false };
