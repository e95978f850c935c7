import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { BackgroundLoops, type BackgroundLoopOptions } from './background-loop.js';

/**
 * A NestJS provider that runs background loops for as long as the application runs: `loops()` is read
 * once at application start (an empty list runs nothing); on shutdown no new run starts and the runs in
 * hand finish before the database and Kafka clients close.
 */
export abstract class BackgroundService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly running = new BackgroundLoops();

  /** The loops of this component (read once, at application start). */
  protected abstract loops(): readonly BackgroundLoopOptions[];

  onApplicationBootstrap(): void {
    for (const options of this.loops()) this.running.start(options);
  }

  beforeApplicationShutdown(): Promise<void> {
    return this.running.stop();
  }
}
