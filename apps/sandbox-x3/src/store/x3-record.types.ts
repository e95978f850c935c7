import type { X3ClassName } from '../catalog/x3-class-catalog.constants.js';

export type X3Value = string | number | null;

/** One line of an order or delivery. */
export interface X3Line {
  readonly uuid: string;
  readonly values: Record<string, X3Value>;
}

/** One record of a class, with its audit fields (CREDATTIM, UPDDATTIM, UPDTICK, …) among its values. */
export interface X3Record {
  readonly className: X3ClassName;
  readonly uuid: string;
  readonly key: string;
  readonly values: Record<string, X3Value>;
  lines?: X3Line[];
}

export type X3ChangeType = 'CREATE' | 'UPDATE';

/** A change the store made, as the webhook emitter sends it out. */
export interface X3Change {
  readonly folder: string;
  readonly className: X3ClassName;
  readonly key: string;
  readonly changeType: X3ChangeType;
  readonly record: X3Record;
  readonly occurredAt: Date;
}
