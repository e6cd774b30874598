import type { FlagEngine } from './engine.js';
import { FeatureFlagError } from './errors.js';
import { EVALUATED_REMOTELY, type FlagOutcome, failedOutcome, SERVER_FAILED } from './outcome.js';
import type { RemoteAnswer, RemoteFailure, RemoteFlag } from './remote-parse.js';
import type { FlagCallOptions } from './types.js';

function joinCodes(a: string | undefined, b: string): string {
  return a === undefined ? b : a + ',' + b;
}

/**
 * The remote fallback of a single-flag read, once local evaluation had no answer: one `/flags` call asking for
 * `key` only. Never rejects; a failed call or a missing flag comes back as a failed outcome with its reason.
 */
export async function remoteOutcome(
  engine: FlagEngine,
  key: string,
  distinctId: string,
  opts: FlagCallOptions | undefined,
): Promise<FlagOutcome> {
  if (engine.closed) return failedOutcome(key, 'shutdown', 'the client was shut down', undefined);
  const res = await engine.deps.track(engine.remote.evaluate(distinctId, opts, [key]));
  if (!res.ok) {
    remoteFailed(engine, res);
    return failedOutcome(key, res.errorKind, res.message, res.errorCode);
  }
  remoteAnswered(engine, res);
  const f = res.flags.get(key);
  if (f === undefined || f.value === undefined) {
    let codes = res.errorsWhileComputing ? 'errors_while_computing_flags' : undefined;
    if (res.quotaLimited) codes = joinCodes(codes, 'quota_limited');
    const failed = f?.failed === true;
    codes = joinCodes(codes, failed ? 'evaluation_failed' : 'flag_missing');
    const kind = res.quotaLimited ? 'quota_limited' : failed ? 'evaluation_failed' : 'flag_missing';
    const reason = res.quotaLimited
      ? 'feature flags are quota limited'
      : failed
        ? (f?.reasonDescription ?? f?.reasonCode ?? SERVER_FAILED)
        : 'the flag does not exist or is disabled';
    // A flag the server reports, failed, still has its id, version and time of evaluation: the event keeps them.
    const metadata =
      f === undefined
        ? {}
        : { flagId: f.id, version: f.version, evaluatedAt: res.evaluatedAt, hasExperiment: f.hasExperiment };
    return failedOutcome(key, kind, reason, codes, { requestId: res.requestId, ...metadata });
  }
  return remoteFlagOutcome(f, res);
}

/** Records what a successful `/flags` answer says about the project. */
export function remoteAnswered(engine: FlagEngine, res: RemoteAnswer): void {
  // The last /flags answer decides, as in posthog-node: one that leaves the gate out turns it off.
  engine.minimalGate = res.minimalEvents === true;
  const log = engine.deps.logger;
  if (res.quotaLimited)
    log.once('warn', 'flags:quota', 'feature flags are quota limited: /flags returned no flags');
  if (res.errorsWhileComputing)
    log.once('error', 'flags:errors', '/flags reported errors while computing flags; some may be missing');
}

/** Logs (once per kind per window) and reports a failed `/flags` call. */
export function remoteFailed(engine: FlagEngine, res: RemoteFailure): void {
  if (res.errorKind === 'shutdown') return;
  engine.deps.logger.once('warn', `flags:${res.errorKind}`, res.message);
  engine.report(new FeatureFlagError('flags_request', res.message));
}

/** The outcome of a flag answered by `/flags`. */
export function remoteFlagOutcome(f: RemoteFlag, res: RemoteAnswer): FlagOutcome {
  return {
    key: f.key,
    value: f.value,
    payload: f.payload,
    locallyEvaluated: false,
    reason: f.reasonDescription ?? f.reasonCode ?? EVALUATED_REMOTELY,
    reasonCode: f.reasonCode,
    errorKind: undefined,
    errorCodes: res.errorsWhileComputing ? 'errors_while_computing_flags' : undefined,
    unresolvedReason: undefined,
    flagId: f.id,
    version: f.version,
    requestId: res.requestId,
    evaluatedAt: res.evaluatedAt,
    hasExperiment: f.hasExperiment,
    definitionsLoadedAt: undefined,
    override: false,
  };
}
