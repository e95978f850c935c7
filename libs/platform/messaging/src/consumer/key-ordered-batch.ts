import type { IncomingMessage } from '../driver/kafka-driver.types.js';

/** What became of one message of a batch. */
export type MessageOutcome = { readonly kind: 'done' } | { readonly kind: 'stop'; readonly pauseMs: number };

/**
 * Handles a partition's batch with per-key ordering: messages of one key one after the other in
 * offset order, different keys up to `concurrency` at a time. A `stop` outcome (a retry not yet due,
 * back-pressure) or `shouldContinue()` turning false stops every key from starting another message.
 * Returns, per message in offset order, whether it was handled, and the longest pause asked for.
 */
export async function handleByKey(
  messages: readonly IncomingMessage[],
  concurrency: number,
  handle: (message: IncomingMessage) => Promise<MessageOutcome>,
  shouldContinue: () => boolean,
): Promise<{ done: boolean[]; pauseMs?: number }> {
  const done = messages.map(() => false);
  let pauseMs: number | undefined;
  let stopped = false;
  const groups = new Map<string, number[]>();
  messages.forEach((message, index) => {
    const key = message.key === null ? '\u0000null' : message.key.toString('base64');
    const list = groups.get(key) ?? [];
    list.push(index);
    groups.set(key, list);
  });
  const queue = [...groups.values()];
  const worker = async (): Promise<void> => {
    for (let group = queue.shift(); group; group = queue.shift()) {
      for (const index of group) {
        if (stopped || !shouldContinue()) return;
        const message = messages[index];
        if (!message) continue;
        const outcome = await handle(message);
        if (outcome.kind === 'stop') {
          stopped = true;
          pauseMs = Math.max(pauseMs ?? 0, outcome.pauseMs);
          return;
        }
        done[index] = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, groups.size)) }, worker));
  return { done, pauseMs };
}
