import { createHash, randomUUID } from 'node:crypto';
import { compileDefinitions } from '../../flags/evaluation/compile.js';
import type { CompiledDefinitions } from '../../flags/evaluation/compiled.js';
import { evaluateAll } from '../../flags/evaluation/evaluate.js';
import type { EvaluationContext, FlagEvaluationResult, MatchReason } from '../../flags/evaluation/types.js';
import { type Answer, errorAnswer, jsonAnswer } from './answers.js';
import type { FlagsRequest, FlagsRequestBody } from './types.js';

/** A fixed `/flags` body, or a function computing one from the request. */
export type FlagsResponder = object | ((request: FlagsRequest) => object);

const EMPTY_DEFINITIONS = { flags: [], group_type_mapping: {}, cohorts: {} };
const BEARER = /^Bearer\s+(\S.*)$/i;

/** The feature-flag side of the server: `/flags`, local-evaluation definitions and remote config. */
export class FlagState {
  private definitionsJson = '';
  private etag = '';
  private flagsResponder: FlagsResponder | undefined;
  private readonly remoteConfigs = new Map<string, string>();
  /** The definitions given by the test, if any: `/flags` then evaluates them with the SDK's evaluator. */
  private definitions: unknown;
  /** Compiled definitions per evaluation-contexts list, built on first use after each change. */
  private readonly compiled = new Map<string, CompiledDefinitions>();

  constructor(
    private readonly secretKey: string | undefined,
    definitions: unknown,
  ) {
    this.setDefinitions(definitions);
  }

  /** Replaces the definitions; the ETag is derived from the JSON, so any change gives a new one. */
  setDefinitions(definitions: unknown): void {
    this.definitions = definitions;
    this.compiled.clear();
    this.definitionsJson = JSON.stringify(definitions ?? EMPTY_DEFINITIONS);
    this.etag = `"${createHash('sha1').update(this.definitionsJson).digest('hex')}"`;
  }

  setFlagsResponse(responder: FlagsResponder | undefined): void {
    this.flagsResponder = responder;
  }

  /** Stores a payload. PostHog stores payloads as JSON text and returns that text as a JSON string, hence two encodings. */
  setRemoteConfig(flagKey: string, payload: unknown): void {
    this.remoteConfigs.set(flagKey, JSON.stringify(JSON.stringify(payload) ?? null));
  }

  answerFlags(request: FlagsRequest): Answer {
    const responder = this.flagsResponder;
    if (responder === undefined) {
      if (this.definitions !== undefined) return jsonAnswer(200, this.evaluate(request.body));
      return jsonAnswer(200, { flags: {}, errorsWhileComputingFlags: false, requestId: randomUUID() });
    }
    if (typeof responder !== 'function') return jsonAnswer(200, responder);
    try {
      return jsonAnswer(200, responder(request));
    } catch (error) {
      // A throwing test callback shows up as a server error the SDK has to cope with, not as a crashed server.
      return errorAnswer(500, error instanceof Error ? error.message : String(error));
    }
  }

  answerDefinitions(headers: Record<string, string>): Answer {
    const denied = this.authorize(headers);
    if (denied !== undefined) return denied;
    const etagHeader = { etag: this.etag };
    if (this.matchesEtag(headers['if-none-match'])) {
      return {
        kind: 'respond',
        status: 304,
        headers: etagHeader,
        body: undefined,
        delayMs: 0,
        accept: 'none',
      };
    }
    return { ...jsonAnswer(200, null, etagHeader), body: this.definitionsJson };
  }

  answerRemoteConfig(flagKey: string, headers: Record<string, string>): Answer {
    const denied = this.authorize(headers);
    if (denied !== undefined) return denied;
    const body = this.remoteConfigs.get(flagKey);
    if (body === undefined)
      return jsonAnswer(404, { type: 'invalid_request', code: 'not_found', detail: 'Not found.' });
    return { ...jsonAnswer(200, null), body };
  }

  /**
   * Answers `/flags` from the stored definitions with the SDK's own evaluator, in the v2 shape, so local and
   * remote answers agree in tests and demos. Like PostHog, inactive flags and client-only flags are left out;
   * flags only the real server could decide (static cohorts, experience continuity...) come back `failed`.
   */
  private evaluate(body: FlagsRequestBody): Record<string, unknown> {
    const contexts = Array.isArray(body.evaluation_contexts)
      ? body.evaluation_contexts.filter((c): c is string => typeof c === 'string')
      : [];
    const cacheKey = contexts.join('\u0000');
    let defs = this.compiled.get(cacheKey);
    if (defs === undefined) {
      defs = compileDefinitions(
        this.definitions,
        contexts.length > 0 ? { evaluationContexts: contexts } : {},
      );
      this.compiled.set(cacheKey, defs);
    }
    const isRecord = (x: unknown): x is Record<string, unknown> =>
      typeof x === 'object' && x !== null && !Array.isArray(x);
    const groups = isRecord(body.groups) ? (body.groups as Record<string, string>) : {};
    const person: Record<string, unknown> = isRecord(body.person_properties)
      ? { ...body.person_properties }
      : {};
    const device = body.$device_id;
    if (typeof device === 'string' && person.$device_id === undefined) person.$device_id = device;
    const ctx: EvaluationContext = {
      distinctId: String(body.distinct_id ?? ''),
      groups,
      personProperties: person,
      groupProperties: isRecord(body.group_properties)
        ? (body.group_properties as Record<string, Record<string, unknown>>)
        : {},
      now: Date.now(),
    };
    const keys = Array.isArray(body.flag_keys_to_evaluate)
      ? body.flag_keys_to_evaluate.filter((k): k is string => typeof k === 'string')
      : undefined;
    const flags: Record<string, unknown> = {};
    let errors = false;
    for (const [key, result] of evaluateAll(defs, ctx, keys)) {
      const flag = defs.flags.get(key);
      if (flag === undefined || !flag.active) continue;
      if (body.evaluation_runtime === 'server' && flag.runtime === 'client') continue;
      if (body.evaluation_runtime === 'client' && flag.runtime === 'server') continue;
      if (result.kind === 'inconclusive' && result.reason !== 'missing_context') errors = true;
      flags[key] = flagDetail(key, flag.raw, result);
    }
    return {
      flags,
      errorsWhileComputingFlags: errors,
      requestId: randomUUID(),
      evaluatedAt: Date.now(),
    };
  }

  private matchesEtag(ifNoneMatch: string | undefined): boolean {
    if (ifNoneMatch === undefined) return false;
    return ifNoneMatch
      .split(',')
      .map((tag) => tag.trim())
      .some((tag) => tag === '*' || tag === this.etag || tag === `W/${this.etag}`);
  }

  /** `undefined` when the request may proceed, else the 401 to send. */
  private authorize(headers: Record<string, string>): Answer | undefined {
    const token = BEARER.exec(headers.authorization ?? '')?.[1]?.trim();
    if (token === undefined || token === '') {
      return jsonAnswer(401, {
        type: 'authentication_error',
        code: 'not_authenticated',
        detail: 'Authentication credentials were not provided.',
      });
    }
    if (this.secretKey !== undefined && token !== this.secretKey) {
      return jsonAnswer(401, {
        type: 'authentication_error',
        code: 'authentication_failed',
        detail: 'Personal API key is invalid.',
      });
    }
    return undefined;
  }
}

const REASONS: Readonly<Record<MatchReason, { code: string; description: string }>> = {
  condition_match: { code: 'condition_match', description: 'Matched condition set' },
  no_condition_match: { code: 'no_condition_match', description: 'No matching condition set' },
  out_of_rollout_bound: { code: 'out_of_rollout_bound', description: 'Out of rollout bound' },
  holdout: { code: 'holdout_condition_value', description: 'Holdout condition value' },
  flag_disabled: { code: 'flag_disabled', description: 'Feature flag is disabled' },
  group_not_provided: { code: 'no_group_type', description: 'Group type not provided' },
};

/** One flag of a v2 `/flags` answer. */
function flagDetail(
  key: string,
  raw: { id?: number; has_experiment?: boolean; version?: unknown; name?: unknown },
  result: FlagEvaluationResult,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    id: raw.id ?? null,
    version: typeof raw.version === 'number' ? raw.version : 1,
    description: typeof raw.name === 'string' ? raw.name : null,
    payload: null,
  };
  if (typeof raw.has_experiment === 'boolean') metadata.has_experiment = raw.has_experiment;
  // The real server reads missing person properties from its database; here none exist, so a property the
  // request did not send simply does not match, as it would for a person who never had it.
  if (result.kind === 'inconclusive' && result.reason === 'missing_context') {
    return {
      key,
      enabled: false,
      variant: null,
      reason: { code: 'no_condition_match', condition_index: null, description: 'No matching condition set' },
      metadata,
    };
  }
  if (result.kind === 'inconclusive') {
    return {
      key,
      enabled: false,
      variant: null,
      failed: true,
      reason: { code: 'evaluation_failed', condition_index: null, description: result.detail },
      metadata,
    };
  }
  const reason = REASONS[result.reason];
  const index = result.conditionIndex;
  if (result.value !== false && result.payload !== null) metadata.payload = JSON.stringify(result.payload);
  return {
    key,
    enabled: result.value !== false,
    variant: typeof result.value === 'string' ? result.value : null,
    reason: {
      code: reason.code,
      condition_index: index,
      description: index === null ? reason.description : `${reason.description} ${index + 1}`,
    },
    metadata,
  };
}
