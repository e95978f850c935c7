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

/**
 * glibc's allocator settings every pipeline service runs with (environment variables, not Node options):
 * the local launchers add them through {@link serviceEnvironment}, the container image sets the same in
 * its runtime stage (Dockerfile). Measured with `./pardot-x3 bench memory` (docs/decisions/0132): 5–13 MB
 * less RSS under load in four of the six services.
 *
 * - `MALLOC_ARENA_MAX=2`: at most two malloc arenas instead of eight per core, one for each thread that
 *   allocates (V8's worker, libuv's pool), each keeping what it once held.
 * - `MALLOC_MMAP_THRESHOLD_` / `MALLOC_TRIM_THRESHOLD_` at 128 KiB: fixed, so that glibc does not raise
 *   them (up to 32 MB / 64 MB) after freeing a large block — large blocks (V8's compiler zones, fetch and
 *   socket buffers) go back to the system when freed instead of staying in the process.
 */
export const SERVICE_MALLOC_ENVIRONMENT: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};
