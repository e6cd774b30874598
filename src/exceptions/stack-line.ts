import type { ExceptionFrame } from '../api/messages.js';
import { isInApp } from './in-app.js';

/** The `platform` PostHog expects on frames from server-side JavaScript. */
export const NODE_PLATFORM = 'node:javascript';

/**
 * Where V8 puts `Promise.all` / `Promise.any` / `Promise.allSettled` combinator frames. They carry no file, so they
 * get Node's promise module as a stand-in, which keeps them out of `in_app` and stable for fingerprints.
 */
export const PROMISE_COMBINATOR_FILE = 'node:internal/promise';

// `at [async ]fn (location)` or `at [async ]location`. The function part is matched lazily up to the first " (" so
// that parentheses inside the path stay in the location.
const FRAME_LINE = /^\s*at (?:async )?(?:(.+?) \((.+)\)|(.+))$/;
// The location ends in optional `:line:col`; lazy so Windows drive colons stay in the file name.
const LOCATION = /^(.+?)(?::(\d+))?(?::(\d+))?$/;
// The innermost parenthesised `file:line:col` of an eval location: the call site of eval() in a real file.
const EVAL_CALL_SITE = /\(([^()]+?:\d+:\d+)\)/;
const PROMISE_INDEX = /^index \d+$/;
const ALIAS_SUFFIX = / \[as [^\]]*\]$/;

/**
 * Parses one line of a V8 stack (`    at fn (file:line:col)` and its variants) into a frame without `module`,
 * or undefined when the line is not a frame (the error header, a message line, an empty line).
 */
export function parseStackLine(line: string): ExceptionFrame | undefined {
  const match = FRAME_LINE.exec(line);
  if (match === null) return undefined;
  const rawFunction = match[1];
  const location = (match[2] ?? match[3] ?? '').trim();
  const frame: ExceptionFrame = { platform: NODE_PLATFORM, function: normaliseFunction(rawFunction) };

  if (PROMISE_INDEX.test(location)) {
    frame.filename = PROMISE_COMBINATOR_FILE;
  } else if (location !== 'native' && location !== '') {
    assignLocation(frame, location);
  }
  frame.in_app = isInApp(frame.filename);
  return frame;
}

function assignLocation(frame: ExceptionFrame, location: string): void {
  let where = location;
  if (where.startsWith('eval at ')) {
    // Code run by eval() has no file of its own; the file that called eval() is what a reader can open.
    const callSite = EVAL_CALL_SITE.exec(where)?.[1];
    if (callSite === undefined) {
      frame.filename = '<anonymous>';
      return;
    }
    where = callSite;
  }
  const parts = LOCATION.exec(where);
  if (parts === null) return;
  frame.filename = normaliseFilename(parts[1] ?? where);
  if (parts[2] !== undefined) frame.lineno = Number(parts[2]);
  if (parts[3] !== undefined) frame.colno = Number(parts[3]);
}

function normaliseFilename(raw: string): string {
  if (!raw.startsWith('file://')) return raw;
  let path = raw.slice('file://'.length);
  try {
    path = decodeURI(path);
  } catch {
    // A malformed escape is left encoded: a slightly odd name beats losing the frame.
  }
  // file:///C:/x.js leaves "/C:/x.js"; the leading slash is not part of a Windows path.
  return /^\/[a-z]:\//i.test(path) ? path.slice(1) : path;
}

function normaliseFunction(raw: string | undefined): string {
  if (raw === undefined) return '?';
  const name = raw
    .replace(ALIAS_SUFFIX, '')
    .replace(/^async /, '')
    .replace(/<anonymous>/g, '?')
    .trim();
  return name === '' ? '?' : name;
}
