/** A field path as written: `Name`, `Account.Name`, `Opportunity.Account.X3_Customer_Code__c`. */
export interface FieldPath {
  readonly kind: 'field';
  readonly path: readonly string[];
  /** Offset of the first character in the query text. */
  readonly pos: number;
}

export interface CountItem {
  readonly kind: 'count';
  readonly pos: number;
}

export interface SubqueryItem {
  readonly kind: 'subquery';
  readonly query: SoqlQuery;
  readonly pos: number;
}

export type SelectItem = FieldPath | CountItem | SubqueryItem;

export type DateRangeName =
  | 'TODAY'
  | 'YESTERDAY'
  | 'TOMORROW'
  | 'LAST_N_DAYS'
  | 'NEXT_N_DAYS'
  | 'THIS_MONTH'
  | 'LAST_MONTH'
  | 'THIS_YEAR';

export type Literal =
  | { readonly kind: 'string'; readonly value: string; readonly pos: number }
  | { readonly kind: 'number'; readonly value: number; readonly pos: number }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly pos: number }
  | { readonly kind: 'null'; readonly pos: number }
  | { readonly kind: 'date'; readonly value: string; readonly pos: number }
  | { readonly kind: 'datetime'; readonly value: number; readonly pos: number }
  | { readonly kind: 'dateRange'; readonly name: DateRangeName; readonly n: number; readonly pos: number };

export type ComparisonOperator = '=' | '!=' | '<' | '>' | '<=' | '>=' | 'LIKE';

export type Condition =
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition }
  | {
      readonly kind: 'compare';
      readonly field: FieldPath;
      readonly op: ComparisonOperator;
      readonly value: Literal;
    }
  | {
      readonly kind: 'in';
      readonly field: FieldPath;
      readonly negated: boolean;
      readonly values: readonly Literal[];
    };

export interface OrderItem {
  readonly field: FieldPath;
  readonly descending: boolean;
  readonly nullsLast: boolean;
}

export interface SoqlQuery {
  readonly select: readonly SelectItem[];
  readonly from: { readonly name: string; readonly pos: number };
  readonly where?: Condition;
  readonly orderBy: readonly OrderItem[];
  readonly limit?: number;
  readonly offset?: number;
}
