/** The three systems the sandboxes stand in for. */
export type SandboxSystem = 'salesforce' | 'pardot' | 'x3';

/** Which of a system's API limits a fault exhausts. */
export type SandboxLimitKind = 'daily' | 'concurrency';
