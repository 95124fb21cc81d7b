/**
 * The ground floor: side effects leave a change through this durable queue. Enqueue in the change's
 * transaction (`outbox.enqueue(trx, [outboxJob(topic, payload)])`), attach a topic's handler with
 * `dispatcher.register(topic, handler)`. Depends on no other module.
 */
export { createOutboxService, type OutboxService, type OutboxRow } from './outbox';
export { createDispatcherService, PermanentDeliveryError, backoffMs, outboxError, type DispatcherService, type OutboxJob, type TopicHandler } from './dispatcher';
export { outboxJob, OUTBOX_TOPIC_NAMES, type OutboxMessage, type OutboxTopic, type PayloadOf } from './topics';
