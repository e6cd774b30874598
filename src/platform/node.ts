import { randomFillSync } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { constants, deflateRaw, gzip, gzipSync, inflateRaw } from 'node:zlib';
import { createAsyncLocalStore } from '../context/async-local-store.js';
import { installExceptionAutocapture } from '../exceptions/autocapture/index.js';
import { createNodeSourceReader } from '../exceptions/node-source-reader.js';
import { listEncoder } from './encode-list.js';
import { createNodeTransport } from './node-http.js';
import { MAX_TIMER_MS, type Platform, type TimerHandle } from './platform.js';

/**
 * The Node.js platform for one client: its own HTTP connection pool, node:zlib, node:crypto randomness, unref'd
 * timers.
 */
export function createNodePlatform(): Platform {
  const transport = createNodeTransport();
  return {
    ...nodeBase,
    exchange: transport.exchange,
    close: transport.close,
    contextStore: createAsyncLocalStore(),
    stackSource: { read: createNodeSourceReader(), cwd: () => process.cwd(), moduleBaseDir: mainScriptDir },
    installAutocapture: installExceptionAutocapture,
  };
}

/** The directory of the script Node was started with (`node app/server.js` → `…/app`), absolute. */
function mainScriptDir(): string | undefined {
  const script = process.argv[1];
  return script === undefined || script === '' ? undefined : dirname(resolve(script));
}

/**
 * Bodies up to this many bytes of UTF-8, at levels up to {@link SYNC_GZIP_MAX_LEVEL}, are gzipped on the event loop:
 * at most about 270 µs there (64 KiB of JSON at level 6), 60-110 µs for a 100-event batch at the default level 1.
 */
export const SYNC_GZIP_MAX_BYTES = 64 * 1024;
/** Above this level even a small body compresses slowly enough to belong on the thread pool. */
export const SYNC_GZIP_MAX_LEVEL = 6;

/**
 * Subscriptions to one process event, behind a single process listener for every client: a service with many
 * clients must not trip MaxListeners. The listener is removed with the last subscription.
 */
function processHook(event: 'beforeExit' | 'exit'): (callback: () => void) => () => void {
  const callbacks = new Set<() => void>();
  const run = (): void => {
    for (const callback of callbacks) callback();
  };
  return (callback) => {
    if (callbacks.size === 0) process.on(event, run);
    callbacks.add(callback);
    return () => {
      callbacks.delete(callback);
      if (callbacks.size === 0) process.off(event, run);
    };
  };
}

/** What every Node client's platform shares; the rest is per client (connection pool, context store, hooks). */
type SharedPart = Omit<
  Platform,
  'exchange' | 'close' | 'contextStore' | 'stackSource' | 'installAutocapture'
>;

const nodeBase: SharedPart = {
  name: 'node',
  gzipLevels: true,
  encodeList: listEncoder(
    (bytes) => Buffer.allocUnsafe(bytes),
    (text, into, at) => (into as Buffer).write(text, at),
  ),
  gzip(bytes, level) {
    if (bytes.length <= SYNC_GZIP_MAX_BYTES && level <= SYNC_GZIP_MAX_LEVEL) {
      // A batch this small is cheaper compressed in place than handed to the thread pool: async zlib builds a
      // stream and crosses threads twice per call, which keeps the event loop as busy as compressing 40 KB at
      // level 1 does, for about three times the CPU (bench/RESULTS.md, section 5).
      try {
        return Promise.resolve(gzipSync(bytes, { level }));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      // Larger bodies and slower levels go to libuv's thread pool, so a big batch never stalls the event loop.
      gzip(bytes, { level }, (error, result) => (error ? reject(error) : resolve(result)));
    });
  },
  deflate(text) {
    return new Promise((resolve, reject) => {
      deflateRaw(text, { level: constants.Z_BEST_SPEED }, (error, result) =>
        error ? reject(error) : resolve(result),
      );
    });
  },
  inflate(bytes) {
    return new Promise((resolve, reject) => {
      inflateRaw(bytes, (error, result) => (error ? reject(error) : resolve(result.toString('utf8'))));
    });
  },
  randomFill(bytes) {
    randomFillSync(bytes);
  },
  utf8Length(text) {
    return Buffer.byteLength(text, 'utf8');
  },
  setTimer(callback, ms) {
    const timer = setTimeout(callback, Math.min(ms, MAX_TIMER_MS));
    timer.unref();
    return timer as unknown as TimerHandle;
  },
  clearTimer(handle) {
    clearTimeout(handle as unknown as NodeJS.Timeout);
  },
  now: Date.now,
  holdOpen() {
    const keepAlive = setInterval(() => {}, 1 << 30);
    return () => clearInterval(keepAlive);
  },
  onBeforeExit: processHook('beforeExit'),
  onExit: processHook('exit'),
};
