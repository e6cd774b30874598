import type { Acceptance } from './answers.js';
import type { LocalPostHogCounts, ReceivedEvent, ReceivedRequest } from './types.js';

interface Waiter {
  check(): boolean;
  reject(error: Error): void;
}

/** Keeps what the server received and wakes up callers waiting for it. */
export class Recorder {
  readonly requests: ReceivedRequest[] = [];
  readonly events: ReceivedEvent[] = [];
  readonly counts: LocalPostHogCounts = { events: 0, byName: {}, duplicates: 0, requests: 0 };
  private readonly acceptedUuids = new Set<string>();
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly keepEvents: boolean) {}

  /** Records one handled request and the events of it that were accepted, then wakes waiters once. */
  record(request: ReceivedRequest, carried: readonly ReceivedEvent[], acceptance: Acceptance): void {
    this.requests.push(request);
    this.counts.requests++;
    if (acceptance !== 'none') {
      for (const event of carried) {
        if (acceptance !== 'all') {
          const result = typeof event.uuid === 'string' ? acceptance.get(event.uuid) : undefined;
          if (result !== 'ok' && result !== 'warning') continue;
        }
        this.acceptEvent(event);
      }
    }
    if (this.waiters.size > 0) for (const waiter of this.waiters) waiter.check();
  }

  private acceptEvent(event: ReceivedEvent): void {
    const counts = this.counts;
    counts.events++;
    const name = event.event;
    if (Object.hasOwn(counts.byName, name)) counts.byName[name] = (counts.byName[name] ?? 0) + 1;
    // defineProperty, not assignment: an event named `__proto__` must become a key, not a prototype.
    else
      Object.defineProperty(counts.byName, name, {
        value: 1,
        writable: true,
        enumerable: true,
        configurable: true,
      });
    const uuid = event.uuid;
    if (typeof uuid === 'string') {
      if (this.acceptedUuids.has(uuid)) counts.duplicates++;
      else this.acceptedUuids.add(uuid);
    }
    if (this.keepEvents) this.events.push(event);
  }

  /**
   * Resolves with `ready()`'s value once it is defined, re-checking after every recorded request. The timer is
   * unref'd and always cleared, so a pending wait never holds the process open.
   */
  waitUntil<T>(ready: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const now = ready();
    if (now !== undefined) return Promise.resolve(now);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          const value = ready();
          if (value === undefined) return false;
          this.waiters.delete(waiter);
          clearTimeout(timer);
          resolve(value);
          return true;
        },
        reject: (error) => {
          this.waiters.delete(waiter);
          clearTimeout(timer);
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.reject(new Error(`${describe()} (timed out after ${timeoutMs}ms)`)),
        timeoutMs,
      );
      timer.unref();
      this.waiters.add(waiter);
    });
  }

  /** Fails every pending wait; used when the server stops, so tests fail fast instead of at their timeout. */
  rejectWaiters(reason: string): void {
    for (const waiter of [...this.waiters]) waiter.reject(new Error(reason));
  }

  /** Forgets everything recorded. Arrays and counters are emptied in place so references callers hold stay live. */
  clear(): void {
    this.requests.length = 0;
    this.events.length = 0;
    this.acceptedUuids.clear();
    const counts = this.counts;
    counts.events = 0;
    counts.duplicates = 0;
    counts.requests = 0;
    for (const name of Object.keys(counts.byName)) delete counts.byName[name];
  }
}
