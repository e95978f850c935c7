/** Progress of a long operation, for a progress bar. */
export interface Progress {
  readonly done: number;
  /** Undefined while the total is not known yet. */
  readonly total?: number;
  /** What was just handled, for display. */
  readonly item?: string;
}

export type ProgressListener = (progress: Progress) => void;
