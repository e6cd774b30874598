export {
  BeforeSendError,
  ClosedError,
  DisabledError,
  EventTooLargeError,
  QueueFullError,
  ValidationError,
} from './capture-errors.js';
export { ConfigError } from './config-error.js';
export { DeliveryError, type DeliveryFailureReason } from './delivery-error.js';
export { isPostHogError, PostHogError, type PostHogErrorCode } from './posthog-error.js';
