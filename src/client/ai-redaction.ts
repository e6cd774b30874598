import type { EventMessage } from '../api/messages.js';
import { isPlainObject } from '../utils/plain-object.js';
import { toPlain } from './flag-properties.js';

/** What a base64 image or audio clip of an AI event is replaced with (the text @posthog/ai uses). */
export const REDACTED_BASE64 = '[base64 image redacted]';

/** The AI event properties that carry prompts and completions, where inline media ends up. */
const CONTENT_PROPERTIES = [
  '$ai_input',
  '$ai_output_choices',
  '$ai_input_state',
  '$ai_output_state',
] as const;

/** `data:image/png;base64,…` and the like: a data URL with base64 content. */
const BASE64_DATA_URL = /^data:[a-z0-9.+-]+\/[a-z0-9.+-]+(?:;[a-z0-9-]+=[^;,]*)*;base64,/i;

/** Prompt structures nest a few levels (messages, parts, sources); this is far past any of them. */
const MAX_DEPTH = 32;
/** Objects and arrays visited at most per event: a long conversation has thousands, not millions. */
const MAX_NODES = 100_000;

/**
 * The message with the base64 media of its prompt and completion properties replaced by
 * {@link REDACTED_BASE64}: data URLs anywhere in them (OpenAI's `image_url`, `input_image`), and raw base64 where
 * the providers put it (see {@link rawMediaKey}). One inline image is
 * often larger than the 1 MB PostHog accepts for an event, which would refuse the whole event. The caller's
 * objects are not changed: what differs is copied. The message itself when there is nothing to redact, or when its
 * properties cannot be read (the normalisation rules then apply as for any event).
 */
export function redactAiMedia(message: EventMessage): EventMessage {
  try {
    const props = toPlain(message.properties);
    if (props === undefined || props === null || typeof props !== 'object') return message;
    const walk: Walk = { seen: new Map(), budget: MAX_NODES };
    let copy: Record<string, unknown> | undefined;
    for (const key of CONTENT_PROPERTIES) {
      if (!Object.hasOwn(props, key)) continue;
      const value = props[key];
      const redacted = redact(value, 0, walk);
      if (redacted !== value) {
        copy ??= { ...props };
        copy[key] = redacted;
      }
    }
    return copy === undefined ? message : { ...message, properties: copy };
  } catch {
    return message;
  }
}

/** Marks an object whose redaction is under way. */
const IN_PROGRESS: unique symbol = Symbol('in progress');

/** One redaction's state: each object's result, so shared and cyclic parts are visited once, and nodes left. */
interface Walk {
  readonly seen: Map<object, unknown>;
  budget: number;
}

function redact(value: unknown, depth: number, walk: Walk): unknown {
  if (typeof value === 'string') return BASE64_DATA_URL.test(value) ? REDACTED_BASE64 : value;
  if (typeof value !== 'object' || value === null || depth >= MAX_DEPTH) return value;
  const known = walk.seen.get(value);
  // An object met again on its own path is a cycle: "[Circular]", as the normalisation writes it anyway (left as
  // it is, the copy would lead back into the unredacted original).
  if (known !== undefined) return known === IN_PROGRESS ? '[Circular]' : known;
  // Past the budget the rest is left as it is: the event's size check still applies to it.
  if (--walk.budget < 0) return value;
  walk.seen.set(value, IN_PROGRESS);
  let result: unknown = value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const redacted = redact(item, depth + 1, walk);
      if (redacted !== item) {
        copy ??= value.slice();
        copy[i] = redacted;
      }
    }
    result = copy ?? value;
  } else if (isPlainObject(value)) {
    const mediaKey = rawMediaKey(value);
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const item = value[key];
      const redacted = key === mediaKey ? REDACTED_BASE64 : redact(item, depth + 1, walk);
      if (redacted !== item) {
        copy ??= { ...value };
        copy[key] = redacted;
      }
    }
    result = copy ?? value;
  }
  walk.seen.set(value, result);
  return result;
}

/** Base64 text (standard or URL-safe alphabet, line breaks allowed), long enough to be media rather than a word. */
const BASE64_TEXT = /^[A-Za-z0-9+/_-][A-Za-z0-9+/=_\r\n-]{63,}$/;

/**
 * The key of the object's raw base64 media, if it holds some: `data` of an Anthropic source
 * (`{ type: 'base64', media_type, data }`), Gemini's `inlineData` (`{ mimeType, data }`), OpenAI's `input_audio`
 * (`{ data, format }`) or an AI SDK file part (`{ type: 'file', mediaType, data }`); `image` of an AI SDK image part
 * (`{ type: 'image', image }`). Only when the value reads as base64, so text or a URL in those places stays.
 */
function rawMediaKey(value: Record<string, unknown>): 'data' | 'image' | undefined {
  const data = value.data;
  if (typeof data === 'string' && looksBase64(data)) {
    if (
      value.type === 'base64' ||
      typeof value.mimeType === 'string' ||
      typeof value.mime_type === 'string' ||
      typeof value.mediaType === 'string' ||
      (typeof value.format === 'string' && Object.keys(value).length === 2)
    ) {
      return 'data';
    }
  }
  const image = value.image;
  if (value.type === 'image' && typeof image === 'string' && looksBase64(image)) return 'image';
  return undefined;
}

/** Base64 by its first kilobyte: testing a multi-megabyte value whole would cost milliseconds per event. */
function looksBase64(text: string): boolean {
  return BASE64_TEXT.test(text.length > 1024 ? text.slice(0, 1024) : text);
}
