import { createHash, randomUUID } from 'node:crypto';
import { type Answer, errorAnswer, jsonAnswer } from './answers.js';
import type { FlagsRequest } from './types.js';

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

  constructor(
    private readonly secretKey: string | undefined,
    definitions: unknown,
  ) {
    this.setDefinitions(definitions);
  }

  /** Replaces the definitions; the ETag is derived from the JSON, so any change gives a new one. */
  setDefinitions(definitions: unknown): void {
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
