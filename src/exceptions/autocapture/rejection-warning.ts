/** The warning name Node uses for unhandled rejections in `warn` and `warn-with-error-code` modes. */
export const REJECTION_WARNING = 'UnhandledPromiseRejectionWarning';

// Node follows each rejection's warning with this generic one, which carries nothing new.
const GENERIC_PREFIX = 'Unhandled promise rejection. This error originated';
const STACK_HEAD = /^([\w$.]+)(?:: ([\s\S]*))?$/;

/**
 * The rejection reason recovered from Node's warning, for `warn-with-error-code` mode without application
 * listeners: there, any `unhandledRejection` listener would silence Node's warning and exit code, so the SDK
 * reads the warning instead. Node passes an Error's stack or the reason's string as the message, so an Error is
 * rebuilt from a stack (name, message, stack) and anything else stays the string it was. Returns undefined for
 * other warnings.
 */
export function reasonFromWarning(warning: unknown): unknown {
  if (typeof warning !== 'object' || warning === null) return undefined;
  const { name, message } = warning as { name?: unknown; message?: unknown };
  if (name !== REJECTION_WARNING || typeof message !== 'string' || message.startsWith(GENERIC_PREFIX)) {
    return undefined;
  }
  const newline = message.indexOf('\n    at ');
  if (newline < 0) return message;
  const head = STACK_HEAD.exec(message.slice(0, newline));
  if (!head) return message;
  const rebuilt = new Error(head[2] ?? '');
  rebuilt.name = head[1] ?? 'Error';
  rebuilt.stack = message;
  return rebuilt;
}
