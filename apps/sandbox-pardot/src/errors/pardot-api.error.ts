import { PARDOT_ERROR_MESSAGES, type PardotErrorCode } from './pardot-error-codes.constants.js';

/**
 * An error as Pardot reports it: a numeric code with its documented message (plus, where it helps,
 * what exactly was wrong) and the HTTP status the sandbox sends with it. Rendered as
 * `{"code":N,"message":"…"}` on v5 and as the `format=json` / XML failure envelope on v4.
 */
export class PardotApiError extends Error {
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    readonly code: PardotErrorCode,
    readonly httpStatus: number,
    detail?: string,
    headers: Record<string, string> = {},
  ) {
    super(
      detail
        ? `${PARDOT_ERROR_MESSAGES[code].replace(/\.$/, '')}. ${detail.charAt(0).toUpperCase()}${detail.slice(1)}`
        : PARDOT_ERROR_MESSAGES[code],
    );
    this.name = 'PardotApiError';
    this.headers = headers;
  }

  static badRequest(code: PardotErrorCode, detail?: string): PardotApiError {
    return new PardotApiError(code, 400, detail);
  }

  static notFound(code: PardotErrorCode, detail?: string, headers?: Record<string, string>): PardotApiError {
    return new PardotApiError(code, 404, detail, headers);
  }
}
