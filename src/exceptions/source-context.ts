import type { ExceptionFrame, ExceptionItem } from '../api/messages.js';
import { trimLine } from './line-window.js';
import { LruCache } from './lru-cache.js';
import { MAX_SOURCE_FILE_BYTES, type SourceReader } from './source-reader.js';

/** Lines of source shown before and after the failing line. */
export const CONTEXT_LINES = 7;
/** Source files kept in memory between captures. */
export const SOURCE_CACHE_FILES = 25;
/** Default bound on one `addSourceContext` call, in milliseconds. */
export const SOURCE_CONTEXT_TIMEOUT_MS = 500;
// Frames past these are almost always minified or generated code, where context is noise and lines are huge.
const MAX_LINENO = 10_000;
const MAX_COLNO = 1_000;
const MINIFIED = /\.min\.[^/\\]*$/;

/**
 * Source files read so far, shared between calls: an LRU of split lines (null for a file that could not be read,
 * so it is not retried) and the reads still running, so concurrent captures share one read.
 */
export class SourceCache {
  /** Lines per file path. */
  readonly files: LruCache<string, readonly string[] | null>;
  private readonly _reading = new Map<string, Promise<readonly string[] | null>>();

  /** @param maxFiles Files kept. Default {@link SOURCE_CACHE_FILES}. */
  constructor(maxFiles: number = SOURCE_CACHE_FILES) {
    this.files = new LruCache(maxFiles);
  }

  /** The file's lines via `reader`, reading it at most once at a time. Never rejects. */
  load(path: string, reader: SourceReader): Promise<readonly string[] | null> {
    const running = this._reading.get(path);
    if (running !== undefined) return running;
    const read = readLines(path, reader).then((lines) => {
      this._reading.delete(path);
      this.files.set(path, lines);
      return lines;
    });
    this._reading.set(path, read);
    return read;
  }
}

/** Options for {@link addSourceContext}. */
export interface SourceContextOptions {
  /** Longest wait for files, in ms; frames whose files are not read by then get no context. Default 500. */
  timeoutMs?: number;
  /** Files read earlier. Default: one cache per reader. */
  cache?: SourceCache;
}

const cachesByReader = new WeakMap<SourceReader, SourceCache>();
const DEPENDENCY = /[\\/]node_modules[\\/]/;

/**
 * The frames with `context_line`, `pre_context` and `post_context` added from their source files. Only `in_app`
 * and `node_modules` frames are read, and not `node:` / `data:` or `*.min.*` files or positions past line 10000 / column 1000.
 * Resolves within `timeoutMs` even when the reader hangs, and never rejects; frames are copied, not changed.
 */
export async function addSourceContext(
  frames: readonly ExceptionFrame[],
  reader: SourceReader,
  options: SourceContextOptions = {},
): Promise<ExceptionFrame[]> {
  const cache = options.cache ?? defaultCache(reader);
  const loaded = new Map<string, readonly string[] | null>();
  const reads: Promise<void>[] = [];
  for (const path of new Set(frames.filter(wantsContext).map((frame) => frame.filename as string))) {
    const cached = cache.files.get(path);
    if (cached !== undefined) {
      loaded.set(path, cached);
    } else {
      reads.push(cache.load(path, reader).then((lines) => void loaded.set(path, lines)));
    }
  }
  if (reads.length > 0) {
    await settleWithin(Promise.all(reads), options.timeoutMs ?? SOURCE_CONTEXT_TIMEOUT_MS);
  }
  return frames.map((frame) => withContext(frame, loaded.get(frame.filename ?? '')));
}

/** {@link addSourceContext} over every entry of an exception list, within one time bound. */
export async function addSourceContextToList(
  items: readonly ExceptionItem[],
  reader: SourceReader,
  options: SourceContextOptions = {},
): Promise<ExceptionItem[]> {
  const all = items.flatMap((item) => item.stacktrace?.frames ?? []);
  const withLines = await addSourceContext(all, reader, options);
  let next = 0;
  return items.map((item) => {
    if (item.stacktrace === undefined) return item;
    const frames = withLines.slice(next, next + item.stacktrace.frames.length);
    next += item.stacktrace.frames.length;
    return { ...item, stacktrace: { type: 'raw', frames } };
  });
}

function wantsContext(frame: ExceptionFrame): boolean {
  const { filename, lineno, colno } = frame;
  if (filename === undefined || lineno === undefined) return false;
  // Application frames and dependencies' (a library's line often says why it threw), as posthog-node reads them;
  // not native or internal frames, which have no file to read.
  if (frame.in_app !== true && !DEPENDENCY.test(filename)) return false;
  if (lineno < 1 || lineno > MAX_LINENO || (colno !== undefined && colno > MAX_COLNO)) return false;
  return !filename.startsWith('node:') && !filename.startsWith('data:') && !MINIFIED.test(filename);
}

function withContext(frame: ExceptionFrame, lines: readonly string[] | null | undefined): ExceptionFrame {
  if (lines === undefined || lines === null || !wantsContext(frame)) return frame;
  const index = (frame.lineno as number) - 1;
  const line = lines[index];
  if (line === undefined) return frame;
  const trim = (text: string): string => trimLine(text, frame.colno);
  return {
    ...frame,
    pre_context: lines.slice(Math.max(0, index - CONTEXT_LINES), index).map(trim),
    context_line: trim(line),
    post_context: lines.slice(index + 1, index + 1 + CONTEXT_LINES).map(trim),
  };
}

async function readLines(path: string, reader: SourceReader): Promise<readonly string[] | null> {
  try {
    const text = await reader(path);
    // Readers other than the Node one may not check size; the limit also bounds the memory the cache holds.
    if (text === undefined || text.length > MAX_SOURCE_FILE_BYTES) return null;
    const lines = text.split(/\r?\n/);
    // A final newline ends the last line; it does not start an empty one.
    if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  } catch {
    return null;
  }
}

function settleWithin(work: Promise<unknown>, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    // Kept referenced: the bound must fire even if nothing else keeps the process alive while a capture waits.
    const timer = setTimeout(resolve, Math.max(0, timeoutMs));
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    work.then(done, done);
  });
}

function defaultCache(reader: SourceReader): SourceCache {
  let cache = cachesByReader.get(reader);
  if (cache === undefined) {
    cache = new SourceCache();
    cachesByReader.set(reader, cache);
  }
  return cache;
}
