import { randomFillSync } from 'node:crypto';
import { constants, deflateRaw, gzip, inflateRaw } from 'node:zlib';
import { createAsyncLocalStore } from '../context/async-local-store.js';
import { installExceptionAutocapture } from '../exceptions/autocapture/index.js';
import { createNodeSourceReader } from '../exceptions/node-source-reader.js';
import { createNodeTransport } from './node-http.js';
import type { Platform, TimerHandle } from './platform.js';

/**
 * The Node.js platform for one client: its own HTTP connection pool, zlib on the thread pool, node:crypto
 * randomness, unref'd timers.
 */
export function createNodePlatform(): Platform {
  const transport = createNodeTransport();
  return {
    ...nodeBase,
    fetch: transport.fetch,
    close: transport.close,
    contextStore: createAsyncLocalStore(),
    stackSource: { read: createNodeSourceReader(), cwd: () => process.cwd() },
    installAutocapture: installExceptionAutocapture,
  };
}

const exitCallbacks = new Set<() => void>();

function runExitCallbacks(): void {
  for (const callback of exitCallbacks) callback();
}

const nodeBase: Omit<Platform, 'fetch' | 'close' | 'contextStore' | 'stackSource' | 'installAutocapture'> = {
  name: 'node',
  gzip(body, level) {
    return new Promise((resolve, reject) => {
      // Async zlib runs on libuv's thread pool, so compressing a batch never blocks the event loop.
      gzip(body, { level }, (error, result) => (error ? reject(error) : resolve(result)));
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
    const timer = setTimeout(callback, ms);
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
  onBeforeExit(callback) {
    // One process listener for every client: a service with many clients must not trip MaxListeners.
    if (exitCallbacks.size === 0) process.on('beforeExit', runExitCallbacks);
    exitCallbacks.add(callback);
    return () => {
      exitCallbacks.delete(callback);
      if (exitCallbacks.size === 0) process.off('beforeExit', runExitCallbacks);
    };
  },
};
