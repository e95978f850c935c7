/** The order's customer cannot be found nor created in X3: the request is answered INVALID_CUSTOMER. */
export class CustomerRefusedError extends Error {
  constructor(
    message: string,
    /** X3's own messages, when X3 refused the creation. */
    readonly x3Messages: readonly string[] = [],
  ) {
    super(message);
    this.name = 'CustomerRefusedError';
  }
}
