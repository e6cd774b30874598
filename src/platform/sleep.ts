import type { Platform } from './platform.js';

/** Waits `ms`; resolves `false` early if `cancel` fires. The timer is unref'd like every SDK timer. */
export function sleep(platform: Platform, ms: number, cancel: AbortSignal): Promise<boolean> {
  if (cancel.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      platform.clearTimer(timer);
      resolve(false);
    };
    const timer = platform.setTimer(() => {
      cancel.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    cancel.addEventListener('abort', onAbort, { once: true });
  });
}
