import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** Where a query's next page starts: the sort key of the last record sent. */
export interface PageCursor {
  readonly resource: string;
  readonly state: unknown;
  readonly issuedAt: number;
  /** Records sent so far in this token chain. */
  readonly returned: number;
}

/** How long a nextPageToken stays valid (Pardot: 4 hours). */
export const PAGE_TOKEN_TTL_MS = 4 * 60 * 60 * 1000;

/** nextPageToken values: opaque, kept server-side, tied to the resource that issued them. */
@Injectable()
export class PageTokenStore {
  private readonly cursors = new Map<string, PageCursor>();

  issue(cursor: Omit<PageCursor, 'issuedAt'>, now = Date.now()): string {
    this.sweep(now);
    const token = randomBytes(18).toString('base64url');
    this.cursors.set(token, { ...cursor, issuedAt: now });
    return token;
  }

  /** The cursor, 'expired' or 'invalid' (unknown token, or one issued by another resource). */
  redeem(token: string, resource: string, now = Date.now()): PageCursor | 'expired' | 'invalid' {
    const cursor = this.cursors.get(token);
    if (!cursor || cursor.resource !== resource) return 'invalid';
    if (now - cursor.issuedAt > PAGE_TOKEN_TTL_MS) return 'expired';
    return cursor;
  }

  clear(): void {
    this.cursors.clear();
  }

  private sweep(now: number): void {
    // Keep expired tokens a while longer so they answer "expired" rather than "invalid".
    for (const [token, cursor] of this.cursors)
      if (now - cursor.issuedAt > 2 * PAGE_TOKEN_TTL_MS) this.cursors.delete(token);
  }
}
