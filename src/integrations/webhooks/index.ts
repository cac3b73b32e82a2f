// Outgoing webhooks: the dispatcher that sends queued deliveries, and signature helpers.
export {
  WebhookDispatcher,
  startWebhookDispatcher,
  WEBHOOKS_ACTOR,
  type WebhookDispatcherDeps,
  type WebhookDispatcherOptions,
  type AttemptOutcome,
} from "./dispatcher.js";
export { fetchSender, type HttpSender, type SendRequest, type SendResult } from "./sender.js";
export { signBody, deliveryHeaders, verifySignature } from "./signature.js";
