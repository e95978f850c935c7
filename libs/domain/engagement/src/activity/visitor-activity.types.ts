/** One Pardot visitor activity (v5 `visitor-activities`: id, prospectId, type, createdAt). */
export interface VisitorActivity {
  readonly id: string;
  readonly prospectId: string;
  /** Type code, see VISITOR_ACTIVITY_TYPES. */
  readonly type: number;
  /** ms since 1970. */
  readonly createdAt: number;
}
