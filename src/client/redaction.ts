import type { PostHogOptions } from '../api/options.js';

/**
 * Keeping the secret key out of what a client shows of itself. A client ends up in logs more often than one
 * would think: `console.log(posthog)` while debugging, a logger serialising an object graph that holds it
 * (`{ app, posthog }`), an error page dumping `app.locals`. Without this, each of those prints the personal API
 * key, which grants access to the whole PostHog project, from the options and the resolved configuration.
 */

/** The options that hold a secret key. */
const SECRET_OPTIONS = ['secretKey', 'personalApiKey'] as const;

/** What replaces a secret in a printed or serialised view. */
export const REDACTED = '[redacted]';

/**
 * The key `util.inspect` (and `console.log`) looks up for a custom view, by its registered name, so that no
 * import of `node:util` is needed and runtimes that honour it too (Bun, Deno's Node layer) use it as well.
 */
export const INSPECT = Symbol.for('nodejs.util.inspect.custom');

/** `util.inspect`'s signature for a custom view's third argument (Node >= 16.14). */
type Inspect = (value: unknown, options: unknown) => string;

/**
 * A custom inspect view: `view` formatted by the inspect function Node passes in, after `label` when one is given;
 * the view object itself where no function is passed (it is then formatted as a plain object).
 */
export function inspectAs(
  label: string,
  view: object,
  options: unknown,
  inspect: Inspect | undefined,
): unknown {
  if (typeof inspect !== 'function') return view;
  const text = inspect(view, options);
  return label ? `${label} ${text}` : text;
}

function redactedCopy(options: Readonly<PostHogOptions>): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...options };
  for (const key of SECRET_OPTIONS) if (copy[key] !== undefined) copy[key] = REDACTED;
  return copy;
}

/**
 * The client's public `options`: a frozen copy of what it was given, with `host` resolved. The secret keys stay
 * readable and enumerable (`client.options.secretKey`, `{ ...client.options }` keep working as in posthog-node),
 * but `JSON.stringify` and `util.inspect` show them as {@link REDACTED}: the two hooks are non-enumerable, so a
 * spread does not copy them.
 */
export function publicOptions(options: PostHogOptions | undefined, host: string): Readonly<PostHogOptions> {
  const copy: PostHogOptions = { ...options, host };
  Object.defineProperty(copy, 'toJSON', { value: () => redactedCopy(copy) });
  Object.defineProperty(copy, INSPECT, {
    value: (_depth: number, inspectOptions: unknown, inspect?: Inspect) =>
      inspectAs('', redactedCopy(copy), inspectOptions, inspect),
  });
  return Object.freeze(copy);
}
