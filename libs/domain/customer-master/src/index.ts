// Customer master: matching (dedupe) and per-field survivorship of the golden customer record.
// Pure decisions; the mdm app stores golden records and calls decideObservation for each observation.
export type {
  SourceSystem,
  SourceEntity,
  CreditStatus,
  CustomerAddress,
  MoneyAmount,
  CustomerFields,
  CustomerObservation,
  CrossReferences,
  FieldProvenance,
  SurvivorshipRuleKind,
  GoldenCustomer,
} from './customer/customer.types.js';
export {
  MASTERED_FIELDS,
  SOURCE_SYSTEMS,
  ENTITIES_BY_SYSTEM,
  type MasteredField,
} from './customer/customer-field.constants.js';
export {
  parseCustomerObservation,
  InvalidCustomerObservationError,
} from './customer/customer-observation.parser.js';

export {
  MATCH_FIELDS,
  type MatchField,
  type MatchRule,
  type MatchingPolicy,
} from './matching/matching-policy.types.js';
export { parseMatchingPolicy } from './matching/matching-policy.parser.js';
export {
  normaliseEmail,
  normaliseMatchValue,
  DEFAULT_LEGAL_FORMS,
} from './matching/match-value.normaliser.js';
export {
  findCustomerMatches,
  matchKeysForObservation,
  matchKeysForGolden,
  matchKeysForLinks,
  type CustomerMatch,
} from './matching/customer.matcher.js';

export type { SurvivorshipPolicy, SurvivorshipRule } from './survivorship/survivorship-policy.types.js';
export { parseSurvivorshipPolicy } from './survivorship/survivorship-policy.parser.js';

export { decideCustomerMaster } from './golden-record/customer-master.decider.js';
export {
  observationToMaster,
  candidateKeys,
  lockKeys,
  decideObservation,
  withLearntCrossReference,
  type ObservationToMaster,
  type ObservationDecision,
  type ObservationDecisionInput,
  type SourceRecord,
} from './golden-record/observation-mastering.js';
export type {
  CustomerLink,
  CustomerMasterDecision,
  CustomerMasterInput,
  CustomerMasterPolicies,
  CustomerMergeEvent,
  FieldDecision,
} from './golden-record/customer-master-decision.types.js';
export { explainGoldenCustomer, type FieldExplanation } from './golden-record/golden-customer.explainer.js';
export {
  hasCrossReference,
  addCrossReference,
  removeCrossReference,
  crossReferenceKeys,
  NO_CROSS_REFERENCES,
} from './golden-record/cross-references.js';

// Converters between the domain types and the canonical Avro contracts (@pardot-x3/canonical).
export {
  customerObservationToCanonical,
  customerObservationFromCanonical,
  type CanonicalObservationExtras,
} from './canonical/customer-observation.converter.js';
export {
  goldenCustomerToCanonical,
  goldenCustomerFromCanonical,
  customerMergedToCanonical,
} from './canonical/golden-customer.converter.js';
export { minimalDecimal } from './canonical/canonical-values.util.js';
export {
  observationDelta,
  type ObservationDelta,
  type SourceRecordState,
} from './observation/observation-delta.js';
