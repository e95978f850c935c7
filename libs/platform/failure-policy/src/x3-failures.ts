import { classified, type FailureClassification } from './failure-kind.js';
import { isTransientHttpStatus } from './http-status.js';

/**
 * X3 messages that mean "someone or something holds it now" (apis.md §3.7): a record a user is editing,
 * an UPDTICK conflict, the web-service pool refusing calls. In English and French.
 */
const X3_BUSY =
  /No Web services? accepted|Locked record|Change In Progress on another workstation|modified by (someone|another)|Fiche verrouill|Modification en cours sur un autre poste|pool .*(full|busy)|too many (web service )?(requests|sessions)/i;

/**
 * An X3 error: HTTP status and the `$diagnoses` messages (or body text). A locked record or a busy
 * web-service pool is throttled whatever the status; 401/403 need an operator; other 5xx are transient;
 * a 4xx with error diagnoses is X3 refusing the record (unknown product, credit hold…).
 */
export function classifyX3Response(
  status: number | undefined,
  messages: readonly string[],
): FailureClassification {
  const busy = messages.find((m) => X3_BUSY.test(m));
  if (busy) return classified('throttled', `Sage X3 is busy: ${busy.slice(0, 120)}`, 2_000);
  if (status === 401 || status === 403)
    return classified('permanent-config', `Sage X3 HTTP ${status}: the user or its web-service rights`);
  if (status === undefined) return classified('transient', 'no answer from Sage X3');
  if (isTransientHttpStatus(status)) return classified('transient', `Sage X3 HTTP ${status}`);
  if (status === 404 && messages.length === 0)
    return classified('permanent-config', 'Sage X3 HTTP 404: unknown class, representation or folder');
  return classified('permanent-data', `Sage X3 HTTP ${status}: the record was refused`);
}
