/** Stock totals of one item at one site, as X3 keeps them in ITMMVT (quantities in stock units). */
export interface StockLevel {
  /** ITMREF */
  readonly itemCode: string;
  /** STOFCY (stock site) */
  readonly site: string;
  /** PHYSTO: physical stock. */
  readonly physical: number;
  /** PHYALL: allocated against physical stock. */
  readonly allocated: number;
  /** GLOALL: global (unassigned) allocations. */
  readonly globalAllocated: number;
  /** UPDDATTIM, ms since 1970: orders the changes of one item and site. */
  readonly observedAt: number;
  /**
   * UPDTICK, X3's change counter of the record, when known: orders two changes with the same
   * UPDDATTIM (X3 times have whole seconds).
   */
  readonly sequence?: number;
  /**
   * Available stock when it was computed upstream (a canonical InventoryLevel carries it): then it is
   * used as is, instead of the configured formula.
   */
  readonly available?: number;
}

/** A stock level worth telling subscribers about, and why. */
export interface StockPublication {
  readonly itemCode: string;
  readonly site: string;
  readonly available: number;
  readonly physical: number;
  readonly observedAt: number;
  readonly reason:
    | 'first-level'
    | 'out-of-stock'
    | 'back-in-stock'
    | 'below-low-stock'
    | 'above-low-stock'
    | 'threshold'
    | 'debounced-threshold'
    | 'max-staleness';
}
