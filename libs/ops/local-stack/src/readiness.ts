import { createConnection } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { tailLog } from './process-supervisor.js';

export class StackStartError extends Error {
  constructor(component: string, reason: string, logFile: string) {
    super(
      `${component} did not become ready: ${reason}\n--- last lines of ${logFile} ---\n${tailLog(logFile)}`,
    );
    this.name = 'StackStartError';
  }
}

export interface WaitOptions {
  readonly component: string;
  readonly logFile: string;
  readonly timeoutMs: number;
  /** Fails fast when the process died while we wait. */
  readonly alive: () => boolean;
}

/** Polls `probe` until it returns true, the process dies, or the timeout passes. */
export async function waitUntil(probe: () => Promise<boolean>, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError = 'not ready yet';
  while (Date.now() < deadline) {
    if (!options.alive()) {
      throw new StackStartError(options.component, 'the process exited', options.logFile);
    }
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error instanceof Error ? error.message : String(error);
    }
    await sleep(250);
  }
  throw new StackStartError(
    options.component,
    `still not ready after ${Math.round(options.timeoutMs / 1000)} s (${lastError})`,
    options.logFile,
  );
}

export function tcpAccepts(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function httpOk(url: string, timeoutMs = 2_000): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return response.ok;
}
