import type {
  AliasMessage,
  EventMessage,
  ExceptionMessage,
  GroupIdentifyMessage,
  IdentifyMessage,
  Message,
  SetPersonPropertiesMessage,
  UnsetPersonPropertiesMessage,
} from '../api/messages.js';
import type { CaptureResult } from '../api/results.js';
import { ValidationError } from '../errors/capture-errors.js';
import { PostHogError } from '../errors/posthog-error.js';
import type { FlagCalledMeta, SendFeatureFlagsOption } from '../flags/client/index.js';
import { isUuid } from '../utils/uuid.js';
import { unreadable } from './accept-path.js';
import { redactAiMedia } from './ai-redaction.js';
import type { Draft } from './client-core.js';
import { ClientControls } from './controls.js';
import * as drafts from './event-factory.js';
import { exceptionDraft } from './exception-draft.js';
import {
  minimalFlagCalledProperties,
  snapshotProperties,
  toPlain,
  withFlagProperties,
} from './flag-properties.js';
import { groupRecord } from './input-checks.js';

export type { ThrownCaptureOptions } from './exception-capture.js';

/**
 * The event side of the PostHog client (the base of {@link PostHogClient}). Capture calls are synchronous O(1) enqueues that never throw and never wait on the
 * network; a background pipeline batches, compresses and delivers. Only the constructor throws, and only for
 * an unusable configuration.
 *
 * Runtime-specific pieces (HTTP, gzip, randomness, timers) come from the {@link Platform} given by the entry
 * point; `posthog-ts` on Node passes the Node platform.
 */
export class EventClient extends ClientControls {
  /** Queues an event. Returns its uuid, or the reason it was refused (also logged and emitted on `error`). */
  capture(message: EventMessage): CaptureResult {
    let draft: Draft | PostHogError;
    try {
      if (message?.flags !== undefined || message?.sendFeatureFlags) return this.captureWithFlags(message);
      draft = this.gate() ?? drafts.captureDraft(message, this.base, 'capture', this.context());
    } catch (error) {
      draft = unreadable(error); // a message that throws when read (see AcceptPath.draft)
    }
    return this.accept(draft, false);
  }

  /** Sends an event now, bypassing the queue; resolves once it is delivered or given up on. */
  captureImmediate(message: EventMessage): Promise<CaptureResult> {
    return this.acceptNow(this.draft(this.captureDraftOf, message), false);
  }

  /** Sets person properties with an `$identify` event. */
  identify(message: IdentifyMessage): CaptureResult {
    return this.accept(this.draft(drafts.identifyDraft, message), false);
  }

  /** `identify()` sent now, bypassing the queue; resolves once the event is delivered or given up on. */
  identifyImmediate(message: IdentifyMessage): Promise<CaptureResult> {
    return this.acceptNow(this.draft(drafts.identifyDraft, message), false);
  }

  /** Links `alias` to `distinctId` with a `$create_alias` event. */
  alias(message: AliasMessage): CaptureResult {
    return this.accept(this.draft(drafts.aliasDraft, message), false);
  }

  /** `alias()` sent now, bypassing the queue; resolves once the event is delivered or given up on. */
  aliasImmediate(message: AliasMessage): Promise<CaptureResult> {
    return this.acceptNow(this.draft(drafts.aliasDraft, message), false);
  }

  /** Sets a group's properties with a `$groupidentify` event. */
  groupIdentify(message: GroupIdentifyMessage): CaptureResult {
    return this.accept(this.draft(drafts.groupIdentifyDraft, message), false);
  }

  /** `groupIdentify()` sent now, bypassing the queue; resolves once the event is delivered or given up on. */
  groupIdentifyImmediate(message: GroupIdentifyMessage): Promise<CaptureResult> {
    return this.acceptNow(this.draft(drafts.groupIdentifyDraft, message), false);
  }

  /** Sets person properties (`$set`, `$set_once`) without another event. */
  setPersonProperties(message: SetPersonPropertiesMessage): CaptureResult {
    return this.accept(this.draft(this.setPersonDraftOf, message), false);
  }

  /** Removes person properties (`$unset`). */
  unsetPersonProperties(message: UnsetPersonPropertiesMessage): CaptureResult {
    return this.accept(this.draft(this.unsetPersonDraftOf, message), false);
  }

  /**
   * Queues an AI event (`$ai_generation`, ...) for `/i/v0/ai/batch/`. Returns its uuid, or `undefined` when it
   * was refused (posthog-node's signature).
   */
  captureAi(message: EventMessage): string | undefined {
    const result = this.accept(this.draft(this.aiDraftOf, message), true);
    return result.ok ? result.uuid : undefined;
  }

  /** Sends an AI event now; resolves to its uuid, or `undefined` when it was refused or not delivered. */
  async captureAiImmediate(message: EventMessage): Promise<string | undefined> {
    const result = await this.acceptNow(this.draft(this.aiDraftOf, message), true);
    return result.ok ? result.uuid : undefined;
  }

  /** The Go SDK's call style: one entry point for every message type. */
  enqueue(message: Message): CaptureResult {
    const gate = this.gate();
    if (gate) return this.accept(gate, false);
    if (typeof message !== 'object' || message === null) {
      return this.accept(new ValidationError('message', 'must be an object with a type'), false);
    }
    try {
      switch (message.type) {
        case 'capture':
          return this.capture(message);
        case 'identify':
          return this.identify(message);
        case 'alias':
          return this.alias(message);
        case 'groupIdentify':
          return this.groupIdentify(message);
        case 'exception':
          return this.accept(this.draft(this.exceptionDraftOf, message), false);
        default:
          return this.accept(
            new ValidationError('type', `must be capture, identify, alias, groupIdentify or exception`),
            false,
          );
      }
    } catch (error) {
      return this.accept(unreadable(error), false); // reading `type` threw: the calls above never do
    }
  }

  private readonly captureDraftOf = (message: EventMessage) =>
    drafts.captureDraft(message, this.base, 'capture', this.context());
  private readonly exceptionDraftOf = (message: ExceptionMessage) =>
    exceptionDraft(message, this.base, this.context());
  private readonly setPersonDraftOf = (message: SetPersonPropertiesMessage) =>
    this.asCapture(drafts.setPersonPropertiesMessage(message));
  private readonly unsetPersonDraftOf = (message: UnsetPersonPropertiesMessage) =>
    this.asCapture(drafts.unsetPersonPropertiesMessage(message));
  private asCapture(message: EventMessage | ValidationError) {
    return message instanceof ValidationError ? message : this.captureDraftOf(message);
  }
  private readonly aiDraftOf = (message: EventMessage) =>
    drafts.captureDraft(
      this.config.redactAiBase64 ? redactAiMedia(message) : message,
      this.base,
      'ai',
      this.context(),
    );

  private captureWithFlags(message: EventMessage): CaptureResult {
    const { flags: snapshot, sendFeatureFlags, ...rest } = message;
    if (snapshot !== undefined && snapshot !== null) {
      if (sendFeatureFlags)
        this.logger.once(
          'warn',
          'flags+sendFeatureFlags',
          'capture() got both flags and sendFeatureFlags; using flags',
        );
      // Something that is not a snapshot adds nothing: the event itself still goes out.
      const props = snapshotProperties(snapshot);
      return this.capture(props === undefined ? rest : withFlagProperties(rest, props));
    }
    if (!sendFeatureFlags) return this.capture(rest); // `flags: null`
    const gate = this.gate();
    const draft = gate ?? drafts.captureDraft(rest, this.base, 'capture', this.context());
    if (!this.flags || draft instanceof PostHogError || draft.distinctId === undefined)
      return this.accept(draft, false);
    // The event's groups and geoip setting apply to the flags it carries, unless sendFeatureFlags sets its own.
    const groups = groupRecord(rest.groups); // valid: the draft was built from the same message
    const flagOptions: SendFeatureFlagsOption = {
      ...(groups === undefined || groups instanceof ValidationError ? {} : { groups }),
      ...(rest.disableGeoip === undefined ? {} : { disableGeoip: rest.disableGeoip }),
      ...(sendFeatureFlags === true ? {} : sendFeatureFlags),
    };
    const props = this.flags.flagPropertiesForCapture(draft.distinctId, flagOptions);
    if ('sync' in props) return this.capture(withFlagProperties(rest, props.sync));
    // One /flags call first: the event keeps the uuid and timestamp of this moment and is queued after it.
    const now = this.platform.now();
    const uuid = isUuid(rest.uuid) ? rest.uuid : this.uuids.next(now);
    const timestamp = rest.timestamp ?? now;
    const context = this.context();
    void this.trackPending(
      props.later.then((flagProps) => {
        const later = { ...rest, uuid, timestamp, properties: { ...flagProps, ...toPlain(rest.properties) } };
        this.accept(drafts.captureDraft(later, this.base, 'capture', context), false);
      }),
    );
    return { ok: true, uuid };
  }

  /** `$feature_flag_called` from the flag layer; minimal events keep only the allowlisted properties. */
  protected override captureFlagCalled(message: EventMessage, meta: FlagCalledMeta): boolean {
    if (!meta.minimal) return this.capture(message).ok;
    const draft = this.gate() ?? drafts.captureDraft(message, NO_BASE, 'capture', undefined);
    if (!(draft instanceof PostHogError)) {
      draft.properties = minimalFlagCalledProperties(draft.properties);
      draft.owned = true;
    }
    return this.accept(draft, false).ok;
  }

  /** @internal Queues a draft: the hot path of every capture call. */
  protected override accept(draft: Draft | PostHogError, ai: boolean): CaptureResult {
    if (draft instanceof PostHogError) return this.refuse(draft);
    const pipeline = ai ? this.delivery!.ai : this.delivery!.main;
    if (pipeline.refusesByCount) {
      // Refused before before_send and serialisation: an overloaded client must stay cheap per call.
      this.counters.dropped.queue_full++;
      return this.refuse(this.queueFullError('count'));
    }
    const prepared = this.prepareDraft(draft, ai);
    if (!('json' in prepared)) return prepared;
    const outcome = pipeline.enqueue(prepared.json, prepared.size);
    if (outcome !== 'queued') {
      this.counters.dropped.queue_full++;
      return this.refuse(this.queueFullError(outcome === 'full-count' ? 'count' : 'bytes'));
    }
    this.counters.captured++;
    this.announce(draft.type, prepared);
    this.waitUntil?.eventQueued();
    return { ok: true, uuid: prepared.uuid };
  }
}

const NO_BASE: drafts.BaseProperties = { superProperties: undefined };
