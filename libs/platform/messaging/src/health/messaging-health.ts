/** One dependency's state, for /health/ready. */
export interface DependencyHealth {
  readonly healthy: boolean;
  /** Why not (no secrets). */
  readonly detail?: string;
}

export interface MessagingHealth {
  readonly healthy: boolean;
  readonly kafka: DependencyHealth;
  readonly schemaRegistry: DependencyHealth;
  readonly consumers: readonly (DependencyHealth & { readonly group: string; readonly state: string })[];
}

/** The shape of the service runtime's readiness checks: resolves when fine, rejects saying why not. */
export interface ReadinessProbe {
  readonly name: string;
  check(): Promise<void>;
}

/** Runs `probe` with a time limit; the outcome as a {@link DependencyHealth}. */
export async function probe(
  what: () => Promise<unknown>,
  timeoutMs: number,
  describe: (error: Error) => string,
): Promise<DependencyHealth> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      what(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { healthy: true };
  } catch (error) {
    return { healthy: false, detail: describe(error instanceof Error ? error : new Error(String(error))) };
  } finally {
    clearTimeout(timer);
  }
}
