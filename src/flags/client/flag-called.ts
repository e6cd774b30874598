import type { EventMessage } from '../../api/messages.js';
import { dedupeKey } from './dedupe.js';
import type { FlagEngine } from './engine.js';
import { type FlagOutcome, flagCalledProperties } from './outcome.js';
import type { FlagGroups } from './types.js';

/** Extra information passed with a `$feature_flag_called` capture. */
export interface FlagCalledMeta {
  /**
   * The server asked for minimal events and the flag has no experiment: keep only
   * `MINIMAL_FLAG_CALLED_PROPERTIES` after adding context and super properties.
   */
  readonly minimal: boolean;
}

/** Sends `$feature_flag_called` for a read, once per (distinct id, flag, value, groups). */
export function flagCalled(
  engine: FlagEngine,
  o: FlagOutcome,
  distinctId: string,
  groups: FlagGroups | undefined,
  disableGeoip: boolean | undefined,
  send: boolean | undefined,
  errorCodes: string | undefined = o.errorCodes,
): void {
  if (o.override || !(send ?? engine.options.sendFeatureFlagEvent) || distinctId === '' || engine.closed)
    return;
  const dedupe = dedupeKey(o.key, o.value, groups);
  if (!engine.dedupe.firstTime(distinctId, dedupe)) return;
  const message: EventMessage = {
    distinctId,
    event: '$feature_flag_called',
    properties: flagCalledProperties(o, groups, engine.deps.platform.now(), errorCodes),
    groups,
    disableGeoip,
  };
  try {
    const accepted = engine.deps.capture(message, {
      minimal: engine.minimalGate && o.hasExperiment === false,
    });
    if (accepted === false) engine.dedupe.forget(distinctId, dedupe);
  } catch (error) {
    engine.dedupe.forget(distinctId, dedupe);
    engine.deps.logger.once('error', 'flags:capture', 'could not capture $feature_flag_called', error);
  }
}
