/** Injection token of the {@link Messaging} instance of the process. */
export const MESSAGING = Symbol.for('pardot-x3.messaging');
/** Injection token of the resolved MessagingModule options. */
export const MESSAGING_MODULE_OPTIONS = Symbol.for('pardot-x3.messaging-module-options');
/** Metadata key of @HandleEvent / @HandleTombstone on handler methods. */
export const EVENT_HANDLER_METADATA = 'pardot-x3:event-handler';
