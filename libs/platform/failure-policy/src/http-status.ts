/** HTTP statuses that mean "the server could not handle it now": worth another try. */
export function isTransientHttpStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599 && status !== 501);
}
