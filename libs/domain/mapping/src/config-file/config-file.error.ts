/** One problem found in a configuration file, pointing at the line a user has to fix. */
export interface ConfigIssue {
  /** Where in the document, e.g. `fields.email.as`; empty for the whole file. */
  readonly path: string;
  readonly message: string;
  /** 1-based; 0 when the problem has no position (an empty file). */
  readonly line: number;
  readonly column: number;
}

/**
 * A configuration file (mapping template, survivorship or matching policy, …) that cannot be used.
 * Lists every problem at once, each as `file:line:column: path: message`, like a compiler.
 */
export class ConfigFileError extends Error {
  readonly fileName: string;
  readonly issues: readonly ConfigIssue[];

  constructor(fileName: string, issues: readonly ConfigIssue[]) {
    const count = `${issues.length} problem${issues.length === 1 ? '' : 's'}`;
    super(
      `${fileName} is not valid (${count}):\n${issues.map((issue) => `  ${formatConfigIssue(fileName, issue)}`).join('\n')}`,
    );
    this.name = 'ConfigFileError';
    this.fileName = fileName;
    this.issues = issues;
  }
}

export function formatConfigIssue(fileName: string, issue: ConfigIssue): string {
  const where = issue.line > 0 ? `${fileName}:${issue.line}:${issue.column}` : fileName;
  return `${where}: ${issue.path ? `${issue.path}: ` : ''}${issue.message}`;
}
