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
  /** The arrival index of the request each kept event came in, parallel to `events`. */
  private readonly eventArrivals: number[] = [];
  /** Set once the server stopped: later waits that are not already satisfied fail at once. */
  private stoppedReason: string | undefined;

  constructor(private readonly keepEvents: boolean) {}

  /** Records one handled request and the events of it that were accepted, then wakes waiters once. */
  record(request: ReceivedRequest, carried: readonly ReceivedEvent[], acceptance: Acceptance): void {
    // Requests are handled as their bodies complete, which is not always the order they arrived in (a slow
    // upload, gzip finishing out of order): both lists are kept in arrival order all the same.
    const arrival = request.index;
    this.requests.splice(
      insertionPoint(this.requests, arrival, (r) => r.index),
      0,
      request,
    );
    this.counts.requests++;
    if (acceptance !== 'none') {
      const accepted: ReceivedEvent[] = [];
      for (const event of carried) {
        if (acceptance !== 'all') {
          const result = typeof event.uuid === 'string' ? acceptance.get(event.uuid) : undefined;
          if (result !== 'ok' && result !== 'warning') continue;
        }
        if (this.acceptEvent(event)) accepted.push(event);
      }
      if (accepted.length > 0) {
        const at = insertionPoint(this.eventArrivals, arrival, (index) => index);
        if (at === this.events.length) {
          for (const event of accepted) {
            this.events.push(event);
            this.eventArrivals.push(arrival);
          }
        } else {
          // Out of order, so a rare request and a small one next to a slow upload: a splice of its events.
          this.events.splice(at, 0, ...accepted);
          this.eventArrivals.splice(at, 0, ...accepted.map(() => arrival));
        }
      }
    }
    if (this.waiters.size > 0) for (const waiter of this.waiters) waiter.check();
  }

  /** Counts an accepted event; true when it is to be kept. */
  private acceptEvent(event: ReceivedEvent): boolean {
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
    return this.keepEvents;
  }

  /**
   * Resolves with `ready()`'s value once it is defined, re-checking after every recorded request. The timer is
   * kept referenced until it fires or is cleared: a test awaiting a wait must see it settle (reject at its
   * timeout), not the process exit under it with the rest of the test skipped.
   */
  waitUntil<T>(ready: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    const now = ready();
    if (now !== undefined) return Promise.resolve(now);
    // Nothing more can arrive at a stopped server: fail at once rather than at the timeout.
    if (this.stoppedReason !== undefined)
      return Promise.reject(new Error(`${describe()} (${this.stoppedReason})`));
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
      this.waiters.add(waiter);
    });
  }

  /** Fails every pending wait; used when the server stops, so tests fail fast instead of at their timeout. */
  rejectWaiters(reason: string): void {
    this.stoppedReason = reason;
    for (const waiter of [...this.waiters]) waiter.reject(new Error(reason));
  }

  /** Forgets everything recorded. Arrays and counters are emptied in place so references callers hold stay live. */
  clear(): void {
    this.requests.length = 0;
    this.events.length = 0;
    this.eventArrivals.length = 0;
    this.acceptedUuids.clear();
    const counts = this.counts;
    counts.events = 0;
    counts.duplicates = 0;
    counts.requests = 0;
    for (const name of Object.keys(counts.byName)) delete counts.byName[name];
  }
}

/** Where an item arriving `arrival`-th goes in a list kept in arrival order: nearly always the end. */
function insertionPoint<T>(list: readonly T[], arrival: number, indexOf: (item: T) => number): number {
  let at = list.length;
  while (at > 0 && indexOf(list[at - 1] as T) > arrival) at--;
  return at;
}
