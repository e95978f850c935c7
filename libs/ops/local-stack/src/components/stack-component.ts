import type { SupervisedProcess } from '../process-supervisor.js';

export type ComponentName = 'kafka' | 'schema-registry' | 'postgres';

export interface ComponentStatus {
  readonly name: ComponentName;
  readonly state: 'running' | 'stopped' | 'external';
  readonly pid?: number;
  readonly address: string;
  readonly dataDir?: string;
  readonly logFile?: string;
}

/** One server of the local stack, managed as a detached OS process. */
export interface StackComponent {
  readonly name: ComponentName;
  readonly process: SupervisedProcess;
  /** Resolves artifacts and formats storage; idempotent and cached. */
  prepare(log: (line: string) => void): Promise<void>;
  /** Starts the process (when not already running) and waits until it serves requests. */
  start(log: (line: string) => void): Promise<void>;
  stop(): Promise<'stopped' | 'killed' | 'not-running'>;
  status(): ComponentStatus;
  /** The environment variables services use to reach it. */
  environment(): Record<string, string>;
}
