/**
 * The Node.js options every pipeline service runs with (`NODE_OPTIONS`), wherever it is launched: the
 * local launchers take them from {@link serviceEnvironment} (`services up`, `demo`, the benches, the
 * chaos suite), the Helm chart from `defaults.nodeOptions` (the same text). Why each one, and what it
 * saved: docs/decisions/0132-service-memory-v8-heap-and-source-maps.md.
 *
 * - `--max-semi-space-size=1`: the young generation's semi-spaces at 1 MB. By default V8 sizes them
 *   from the machine's memory (up to 64 MB each on a 24 GB machine), and an idle service kept
 *   ~100 MB of young generation resident.
 * - `--max-old-space-size=128`: V8 starts collecting the old generation at a fraction of this limit
 *   and grows it more slowly; left to the default (a quarter of the machine's memory) an idle service
 *   let tens of MB of garbage accumulate before its first full collection.
 * - `--v8-pool-size=1`: one V8 worker thread (concurrent marking, compilation) instead of four.
 */
export const SERVICE_NODE_OPTIONS = '--max-semi-space-size=1 --max-old-space-size=128 --v8-pool-size=1';
