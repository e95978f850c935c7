/** A producer's schema is not registered under its subject: register the catalog first. */
export class SchemaNotRegisteredError extends Error {
  readonly subject: string;

  constructor(subject: string, fullName: string) {
    super(
      `The schema ${fullName} is not registered under the subject ${subject}. Register the catalog's schemas first: ` +
        '`./pardot-x3 schemas register` (CI/CD does this before deploying).',
    );
    this.name = 'SchemaNotRegisteredError';
    this.subject = subject;
  }
}
