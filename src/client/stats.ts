import type { DeliveryStats, DropReason, FlagStats } from '../api/results.js';

/** The counters behind `stats()`. Plain fields, so counting costs an increment. */
export class StatsCounter {
  captured = 0;
  rejected = 0;
  delivered = 0;
  requests = 0;
  retries = 0;
  readonly dropped: Record<DropReason, number> = {
    filtered: 0,
    before_send: 0,
    queue_full: 0,
    rejected: 0,
    too_large: 0,
    retries_exhausted: 0,
    dropped_by_server: 0,
    shutdown_timeout: 0,
    storage_error: 0,
    internal_error: 0,
  };

  snapshot(queued: number, queuedBytes: number, inFlight: number, flags: FlagStats): DeliveryStats {
    return {
      captured: this.captured,
      rejected: this.rejected,
      queued,
      queuedBytes,
      inFlight,
      delivered: this.delivered,
      dropped: { ...this.dropped },
      requests: this.requests,
      retries: this.retries,
      flags,
    };
  }
}
