import type { FetchLike } from '../api/transport.js';
import { passThroughStore } from '../context/context-store.js';
import { fetchExchanger } from '../transport/exchange.js';
import { listEncoder } from './encode-list.js';
import { MAX_TIMER_MS, type Platform, type TimerHandle } from './platform.js';

const encoder = new TextEncoder();
// The SDK's bodies are strings or Uint8Arrays, both valid fetch bodies; the DOM typings are narrower.
const fetchAtCallTime: FetchLike = (url, init) => globalThis.fetch(url, init as RequestInit);

/**
 * The web-standard platform for edge runtimes (workerd, Deno, Bun, Vercel Edge): CompressionStream,
 * WebCrypto and plain timers. It touches no `node:*` module.
 */
export const webPlatform: Platform = {
  name: 'web',
  exchange: fetchExchanger(fetchAtCallTime),
  // CompressionStream takes no level: the runtime's default applies.
  gzipLevels: false,
  encodeList: listEncoder(
    (bytes) => new Uint8Array(bytes),
    (text, into, at) => encoder.encodeInto(text, into.subarray(at)).written,
  ),
  async gzip(body) {
    // Our own encodeList output: a plain ArrayBuffer, never shared memory.
    const stream = new Blob([body as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new CompressionStream('gzip'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  },
  async deflate(text) {
    const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  },
  async inflate(bytes) {
    // Our own deflate output: a plain ArrayBuffer, never shared memory.
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
      .stream()
      .pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(stream).text();
  },
  randomFill(bytes) {
    crypto.getRandomValues(bytes);
  },
  utf8Length(text) {
    return encoder.encode(text).length;
  },
  setTimer(callback, ms) {
    const timer = setTimeout(callback, Math.min(ms, MAX_TIMER_MS)) as unknown as { unref?: () => void };
    // Deno and Bun return objects with unref(); workerd returns a number and has no process to keep alive.
    timer.unref?.();
    return timer as unknown as TimerHandle;
  },
  clearTimer(handle) {
    clearTimeout(handle as unknown as number);
  },
  now: Date.now,
  holdOpen() {
    // Edge runtimes keep a request alive through waitUntil, not through timers.
    return () => {};
  },
  onBeforeExit() {
    return () => {};
  },
  onExit() {
    return () => {};
  },
  close() {},
  // Without AsyncLocalStorage, withContext() runs its callback and events carry only their own data.
  contextStore: passThroughStore,
};
