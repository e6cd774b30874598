import type { BinaryBody } from '../api/transport.js';
import type { ContextStore } from '../context/context-store.js';
import type { AutocaptureClient, ExceptionAutocaptureOptions } from '../exceptions/autocapture/index.js';
import type { SourceReader } from '../exceptions/source-reader.js';
import type { Exchanger } from '../transport/exchange.js';

/** An opaque timer handle from {@link Platform.setTimer}. */
export type TimerHandle = { readonly __timer: unique symbol } | object;

/**
 * Everything that differs between Node and edge runtimes, in one small interface. The core never imports
 * `node:*`; each runtime's entry point passes its own implementation.
 */
export interface Platform {
  /** Runtime name, for logs. */
  readonly name: 'node' | 'web';
  /** The default HTTP transport, used when the `fetch` option is not given. */
  readonly exchange: Exchanger;
  /**
   * UTF-8 of `head`, then `items` separated by commas, then `tail`, in one buffer: a request body written from a
   * batch's events without joining them into one string first (see encode-list.ts).
   */
  encodeList(head: string, items: readonly string[], tail: string): Uint8Array;
  /** Gzip `body` at `level` (1-9) where the runtime lets the level be chosen (see {@link gzipLevels}). */
  gzip(body: Uint8Array, level: number): Promise<BinaryBody>;
  /** Whether {@link gzip} honours its level; `CompressionStream` takes none, so the client warns when it is set. */
  readonly gzipLevels: boolean;
  /** Raw-deflate a UTF-8 string, favouring speed over ratio (a queue backlog compressed at rest). */
  deflate(text: string): Promise<Uint8Array>;
  /** The text {@link deflate} compressed. */
  inflate(bytes: Uint8Array): Promise<string>;
  /** Fill `bytes` with cryptographically strong random values. */
  randomFill(bytes: Uint8Array): void;
  /** Bytes of `text` in UTF-8. */
  utf8Length(text: string): number;
  /** A one-shot timer that never keeps the process alive. */
  setTimer(callback: () => void, ms: number): TimerHandle;
  clearTimer(handle: TimerHandle): void;
  /** Wall-clock milliseconds since the epoch. */
  now(): number;
  /**
   * Keeps the process alive until the returned function is called. Used only while the application awaits
   * `flush()` or `shutdown()`, so that an unref'd retry wait cannot let the process exit under its feet.
   */
  holdOpen(): () => void;
  /**
   * Calls `callback` when the process is about to exit because nothing else is scheduled (Node's
   * `beforeExit`); returns the unsubscribe function. Runtimes without such a hook return a no-op.
   */
  onBeforeExit(callback: () => void): () => void;
  /**
   * Calls `callback` as the process exits (Node's `exit`, which `process.exit()` also reaches, unlike `beforeExit`),
   * for a last synchronous word: nothing asynchronous runs after it. Returns the unsubscribe function; runtimes
   * without such a hook return a no-op.
   */
  onExit(callback: () => void): () => void;
  /** Releases what the platform holds for one client (connection pools); called at the end of shutdown. */
  close(): void;
  /** Where request context lives (`withContext`). */
  readonly contextStore: ContextStore;
  /**
   * Reads source files for exception context lines, and the directory frame paths are made relative to.
   * Absent on runtimes without a file system.
   */
  readonly stackSource?: {
    read: SourceReader;
    cwd(): string;
    /** The main script's directory, the root of `dir.sub:file` module names; undefined when there is none. */
    moduleBaseDir(): string | undefined;
  };
  /** Starts exception autocapture for a client; returns the function that stops it. Absent off Node. */
  readonly installAutocapture?: (
    client: AutocaptureClient,
    options: ExceptionAutocaptureOptions,
  ) => () => void;
}

/**
 * The longest delay a timer can be given: runtimes store it in 32 bits and fire a longer one at once (Node
 * after 1 ms, with a warning). A `shutdown(2 ** 31)` would otherwise give up at once instead of waiting.
 */
export const MAX_TIMER_MS = 2_147_483_647;
