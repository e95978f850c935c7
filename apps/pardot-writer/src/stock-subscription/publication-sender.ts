import { Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Runs a sender round after round from application start: again at once while a round found work, else
 * after `intervalMs`. On shutdown no new round starts and the round in hand finishes; what is not sent
 * stays in PostgreSQL for the next start (or another replica).
 */
export abstract class PublicationSender implements OnApplicationBootstrap, BeforeApplicationShutdown {
  protected abstract readonly logger: Logger;
  private readonly abort = new AbortController();
  private loop?: Promise<void>;

  /** One round; resolves to how many records it handled (0: nothing to do now). */
  protected abstract round(): Promise<number>;

  protected abstract get intervalMs(): number;

  onApplicationBootstrap(): void {
    this.loop = this.run();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    while (!signal.aborted) {
      let handled = 0;
      try {
        handled = await this.round();
      } catch (error) {
        this.logger.warn({ err: error }, 'sending stock levels failed; the next round tries again');
      }
      if (handled > 0) continue;
      try {
        await sleep(this.intervalMs, undefined, { signal });
      } catch {
        return;
      }
    }
  }
}
