import { availableStock } from '../stock/available-stock.js';
import type { StockLevel, StockPublication } from '../stock/stock-level.types.js';
import { thresholdsFor, type StockPublicationPolicy } from './stock-publication-policy.js';

/** What is known of one item at one site: its latest level and what subscribers last heard. */
export interface StockItemState {
  readonly latest: StockLevel;
  readonly latestAvailable: number;
  readonly published?: { readonly available: number; readonly at: number };
  /** Since when the latest level differs from the published one. */
  readonly pendingSince?: number;
}

export interface StockDecision {
  readonly state: StockItemState;
  readonly publication?: StockPublication;
}

/**
 * Debounced, thresholded fan-out, one stock level at a time (pure; the caller keeps one state per
 * item and site). Reaching zero, coming back, and crossing the low-stock mark publish at once; a
 * change past the absolute or relative threshold publishes unless the item published within
 * minInterval (then it waits for {@link decideOnTick}); anything else waits at most maxStaleness.
 * A level older than the latest one seen is ignored (out-of-order delivery): by its time, and at the
 * same time by its change counter when both levels have one.
 */
export function decideStockLevel(
  state: StockItemState | undefined,
  level: StockLevel,
  policy: StockPublicationPolicy,
): StockDecision {
  if (state && isOlder(level, state.latest)) return { state };
  const available = availableStock(level, policy.subtract);
  const now = level.observedAt;
  const next: StockItemState = { ...(state ?? {}), latest: level, latestAvailable: available };
  if (!state?.published) return publish(next, now, 'first-level');

  const previous = state.published.available;
  if (available === previous) return { state: withoutPending(next) };
  if (previous > 0 !== available > 0)
    return publish(next, now, available > 0 ? 'back-in-stock' : 'out-of-stock');
  const { lowStockMark } = thresholdsFor(policy, level.itemCode);
  if (previous < lowStockMark !== available < lowStockMark)
    return publish(next, now, available < lowStockMark ? 'below-low-stock' : 'above-low-stock');
  if (
    isSignificant(previous, available, policy, level.itemCode) &&
    now - state.published.at >= policy.minIntervalMs
  )
    return publish(next, now, 'threshold');
  return { state: { ...next, pendingSince: state.pendingSince ?? now } };
}

/** Called on a timer: publishes a waiting change once its debounce window or the staleness limit has passed. */
export function decideOnTick(
  state: StockItemState,
  now: number,
  policy: StockPublicationPolicy,
): StockDecision {
  if (state.pendingSince === undefined || !state.published) return { state };
  if (state.latestAvailable === state.published.available) return { state: withoutPending(state) };
  if (
    isSignificant(state.published.available, state.latestAvailable, policy, state.latest.itemCode) &&
    now - state.published.at >= policy.minIntervalMs
  ) {
    return publish(state, now, 'debounced-threshold');
  }
  if (now - state.pendingSince >= policy.maxStalenessMs) return publish(state, now, 'max-staleness');
  return { state };
}

function isOlder(level: StockLevel, latest: StockLevel): boolean {
  if (level.observedAt !== latest.observedAt) return level.observedAt < latest.observedAt;
  return level.sequence !== undefined && latest.sequence !== undefined && level.sequence < latest.sequence;
}

function isSignificant(
  previous: number,
  available: number,
  policy: StockPublicationPolicy,
  itemCode: string,
): boolean {
  const { absoluteThreshold, relativeThreshold } = thresholdsFor(policy, itemCode);
  const change = Math.abs(available - previous);
  return change >= absoluteThreshold || (previous !== 0 && change / Math.abs(previous) >= relativeThreshold);
}

function publish(state: StockItemState, now: number, reason: StockPublication['reason']): StockDecision {
  const { latest, latestAvailable } = state;
  return {
    state: { latest, latestAvailable, published: { available: latestAvailable, at: now } },
    publication: {
      itemCode: latest.itemCode,
      site: latest.site,
      available: latestAvailable,
      physical: latest.physical,
      observedAt: latest.observedAt,
      reason,
    },
  };
}

function withoutPending(state: StockItemState): StockItemState {
  const { pendingSince: _pending, ...rest } = state;
  return rest;
}
