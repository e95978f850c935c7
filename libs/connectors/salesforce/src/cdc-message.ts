import type { CdcChangeEvent, CdcGapEvent, ChangeEventHeader } from './change-event.types.js';

/** True when a `changeOrigin` (`com/salesforce/api/rest/62.0;client=pardot-x3`) names our client id. */
export function isOwnChange(changeOrigin: string | undefined, callClientId: string): boolean {
  if (!changeOrigin) return false;
  return changeOrigin
    .split(';')
    .slice(1)
    .some((part) => part.trim() === `client=${callClientId}`);
}

/**
 * Turns the `data` of a CometD CDC message (`{schema, payload:{ChangeEventHeader,…fields}, event:{replayId}}`)
 * into a change or gap event. Throws with a clear message when the message is not a change event.
 */
export function parseCdcMessage(
  channel: string,
  data: unknown,
  callClientId: string,
): CdcChangeEvent | CdcGapEvent {
  const d = (data ?? {}) as { payload?: Record<string, unknown>; event?: { replayId?: unknown } };
  const cdcReplayId = Number(d.event?.replayId);
  const header = d.payload?.['ChangeEventHeader'] as ChangeEventHeader | undefined;
  if (
    !Number.isFinite(cdcReplayId) ||
    !header ||
    typeof header.changeType !== 'string' ||
    typeof header.entityName !== 'string'
  ) {
    throw new Error(
      `message on ${channel} is not a Change Data Capture event (no ChangeEventHeader or replayId)`,
    );
  }
  if (header.changeType.startsWith('GAP_')) return { kind: 'gap', channel, cdcReplayId, header };
  const { ChangeEventHeader: _header, ...fields } = d.payload ?? {};
  return {
    kind: 'change',
    channel,
    cdcReplayId,
    header,
    fields,
    echo: isOwnChange(header.changeOrigin, callClientId),
  };
}

/**
 * When a `/meta/subscribe` reply refuses the replay id we asked for, Salesforce's reason
 * ("400::The replayId {82} you provided was invalid. Please provide a valid ID, -2 to replay all
 * events, or -1 to replay only new events."); otherwise undefined.
 */
export function replayRejectionReason(message: {
  channel?: unknown;
  successful?: unknown;
  error?: unknown;
}): string | undefined {
  if (
    message.channel !== '/meta/subscribe' ||
    message.successful !== false ||
    typeof message.error !== 'string'
  )
    return undefined;
  return /replay\s*id/i.test(message.error) ? message.error : undefined;
}

/** True when a handshake/connect reply says the access token is no longer valid. */
export function isAuthenticationFailure(message: {
  channel?: unknown;
  successful?: unknown;
  error?: unknown;
  ext?: unknown;
}): boolean {
  if (
    (message.channel !== '/meta/handshake' && message.channel !== '/meta/connect') ||
    message.successful !== false
  )
    return false;
  const failure = (message.ext as { sfdc?: { failureReason?: unknown } } | undefined)?.sfdc?.failureReason;
  const text = `${typeof message.error === 'string' ? message.error : ''} ${typeof failure === 'string' ? failure : ''}`;
  return /^\s*401::|\b401::|authentication invalid/i.test(text);
}
