// Mapping templates: field mapping, harmonisation, value translation, enrichment and conditional rules,
// plus the YAML configuration reader every domain policy uses (errors point at the line to fix).
export { ConfigFileError, formatConfigIssue, type ConfigIssue } from './config-file/config-file.error.js';
export {
  parseYamlConfig,
  formatConfigPath,
  type ConfigPath,
  type ReportConfigIssue,
} from './config-file/yaml-config.parser.js';

export type { Harmonised, ValueProblemCode } from './harmonisation/harmonisation.types.js';
export {
  harmonise,
  HARMONISER_KINDS,
  HARMONISER_OPTIONS,
  type HarmoniserKind,
  type HarmoniserOptions,
  type HarmonisedValue,
} from './harmonisation/harmoniser.registry.js';
export { harmoniseText, type TextOptions, type TextCase } from './harmonisation/text.harmoniser.js';
export { harmoniseEmail } from './harmonisation/email.harmoniser.js';
export { harmonisePhone, type PhoneOptions } from './harmonisation/phone.harmoniser.js';
export {
  harmoniseCountry,
  countryCodeOf,
  isCountryCode,
  COUNTRY_NAME_LANGUAGES,
  type CountryOptions,
} from './harmonisation/country.harmoniser.js';
export {
  harmoniseCurrency,
  isCurrencyCode,
  currencyMinorUnits,
  type CurrencyOptions,
} from './harmonisation/currency.harmoniser.js';
export {
  harmoniseDate,
  harmoniseTimestamp,
  harmoniseDateTime,
  isTimeZone,
  type DateOptions,
} from './harmonisation/date.harmoniser.js';
export {
  harmoniseDecimal,
  harmoniseNumber,
  harmoniseInteger,
  type DecimalText,
  type NumberOptions,
} from './harmonisation/number.harmoniser.js';
export { harmoniseBoolean } from './harmonisation/boolean.harmoniser.js';
export { harmonisePostalCode } from './harmonisation/postal-code.harmoniser.js';
export { harmoniseAddressLine, type AddressLineOptions } from './harmonisation/address-line.harmoniser.js';
export { displayValue } from './harmonisation/value-display.util.js';

export type {
  MappingTemplate,
  FieldRule,
  FieldSource,
  Condition,
  ConditionOperator,
  TranslationTable,
  TranslationEntry,
  PassThroughRule,
  RecordKind,
  Scalar,
  JsonValue,
} from './template/mapping-template.types.js';
export { parseMappingTemplate } from './template/mapping-template.parser.js';
export { evaluateCondition, isEmptyValue, type ConditionOutcome } from './conditions/condition.evaluator.js';
export { translateValue, type Translated } from './translation/translation-table.js';

export { mapRecord, forbiddenKeyProblems } from './engine/mapping.engine.js';
export { describeFieldRule } from './engine/field-rule.describer.js';
export { MappingRejectedError } from './engine/mapping-rejected.error.js';
export type {
  MappingResult,
  MappedResult,
  SkippedResult,
  RejectedResult,
  MappedRecord,
  FieldProblem,
  FieldTrace,
  QuarantinedField,
} from './engine/mapping-result.types.js';
export { MappingCatalog, UnknownTemplateError } from './catalog/mapping-catalog.js';

export {
  FORBIDDEN_KEYS,
  FORBIDDEN_KEYS_RULE,
  isForbiddenKey,
  hasForbiddenSegment,
  forbiddenKeyPaths,
  nullPrototypeRecord,
} from './safe-keys/safe-keys.util.js';
export {
  sourceRecordInput,
  type SourceLinesPlacement,
  type SourceRecordInputOptions,
} from './source-record/source-record-input.js';
export { toCanonicalValue, type CanonicalConversion } from './canonical/canonical-value.converter.js';
export {
  mapToCanonical,
  numberLines,
  type CanonicalMapping,
  type MapToCanonicalOptions,
} from './canonical/map-to-canonical.js';
