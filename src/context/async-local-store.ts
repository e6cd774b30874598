import { AsyncLocalStorage } from 'node:async_hooks';
import type { ContextStore, PostHogContext } from './context-store.js';

/** The Node context store, on AsyncLocalStorage: the context follows awaits, timers and callbacks. */
export function createAsyncLocalStore(): ContextStore {
  const storage = new AsyncLocalStorage<PostHogContext>();
  return {
    get: () => storage.getStore(),
    run: (context, fn) => storage.run(context, fn),
    enter: (context) => storage.enterWith(context),
  };
}
