/** A fault rule that cannot be applied; the message says which field and why. */
export class FaultRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FaultRuleError';
  }
}
