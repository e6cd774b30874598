import type { Platform, TimerHandle } from './platform.js';

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

/**
 * Waits for `work`, at most `ms`: resolves `true` if the time ran out first, `false` once `work` settled (either
 * way). The timer is cleared as soon as one of them wins, so a settled wait leaves nothing behind.
 */
export async function outlasts(platform: Platform, work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: TimerHandle | undefined;
  try {
    return await Promise.race([
      work.then(
        () => false,
        () => false,
      ),
      new Promise<boolean>((resolve) => {
        timer = platform.setTimer(() => resolve(true), ms);
      }),
    ]);
  } finally {
    if (timer !== undefined) platform.clearTimer(timer);
  }
}
