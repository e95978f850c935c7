export { x3ConfigSchema, type X3Config } from './x3.config.js';
export { X3Client, DEFAULT_X3_REPRESENTATIONS, type X3ClientOptions } from './x3-client.js';
export {
  X3ApiError,
  X3BusinessError,
  classifyDiagnosis,
  parseDiagnoses,
  businessErrorOf,
  x3ErrorFromResponse,
  type X3Diagnosis,
  type X3BusinessErrorKind,
} from './x3.error.js';
export { x3Property, x3String, x3DateTime, x3Equals, x3EqualsAny } from './x3-query.util.js';
export { X3_WEBHOOK_SIGNER, X3_TIMESTAMP_HEADER, X3_SIGNATURE_HEADER } from './x3-webhook-signature.js';
export type {
  X3Resource,
  X3Values,
  X3ClassRef,
  X3QueryOptions,
  X3ChangeWindow,
  X3SalesOrderRequest,
  X3SalesOrderResult,
  X3CustomerResult,
} from './x3.types.js';
