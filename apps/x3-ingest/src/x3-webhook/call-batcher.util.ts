/**
 * Turns many concurrent calls into few round trips, without waiting for a timer: the first call goes
 * out at once; calls made while a round trip is in flight wait for it and go out together in the next
 * one (up to `maxBatchSize` per round trip, `concurrency` round trips at a time). Each caller gets its
 * own result, or the error of its round trip. An idle service answers as fast as with one call per
 * request; a busy one sends one statement or one Kafka request for many requests ("group commit").
 */
export class CallBatcher<I, O> {
  private waiting: {
    readonly input: I;
    readonly resolve: (value: O) => void;
    readonly reject: (error: unknown) => void;
  }[] = [];
  private inFlight = 0;

  constructor(
    /** One round trip for several inputs: resolves with one result per input, in order. */
    private readonly flush: (inputs: readonly I[]) => Promise<readonly O[]>,
    private readonly options: { readonly maxBatchSize: number; readonly concurrency: number },
  ) {}

  call(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ input, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.maxBatchSize);
      this.inFlight += 1;
      void this.run(batch);
    }
  }

  private async run(batch: typeof this.waiting): Promise<void> {
    try {
      const results = await this.flush(batch.map((b) => b.input));
      if (results.length !== batch.length)
        throw new Error(`a batch of ${batch.length} calls returned ${results.length} results`);
      batch.forEach((b, i) => b.resolve(results[i] as O));
    } catch (error) {
      for (const b of batch) b.reject(error);
    } finally {
      this.inFlight -= 1;
      this.pump();
    }
  }
}
