import { isDeepStrictEqual } from 'node:util';
import type { ReceivedEvent } from '../../../src/testing/index.js';
import type { ObservedRequest } from './mock.js';

/** A failed contract assertion. */
export class ContractAssertionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractAssertionError';
  }
}

export function check(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ContractAssertionError(message);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

/**
 * Canonical RFC 3339 in UTC: full date and time, optional fraction, and `Z` (or its `+00:00` spelling, which
 * the contract treats as equivalent). Local offsets are not UTC and fail.
 */
const UTC_RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|\+00:00)$/;

export function isUtcRfc3339(value: unknown): value is string {
  return typeof value === 'string' && UTC_RFC3339.test(value) && Number.isFinite(Date.parse(value));
}

/** Milliseconds since the epoch of an RFC 3339 string, or NaN. */
export function instant(value: string): number {
  return Date.parse(value);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A request by position; negative positions count from the end (-1 is the last). */
export function requestAt(requests: readonly ObservedRequest[], index: number): ObservedRequest {
  const request = requests.at(index);
  check(request !== undefined, `no request at index ${index} (${requests.length} capture requests recorded)`);
  return request;
}

/** The first event of the first capture request, which most event assertions inspect. */
export function firstEvent(requests: readonly ObservedRequest[]): ReceivedEvent {
  const request = requestAt(requests, 0);
  const event = request.events[0];
  check(event !== undefined, `the first request (${request.method} ${request.path}) carried no events`);
  return event;
}

export function propertiesOf(event: ReceivedEvent): Record<string, unknown> {
  const properties = event.properties;
  return isObject(properties) ? properties : {};
}

/** The request body's root object, or a failed assertion naming what it was. */
export function bodyOf(request: ObservedRequest): Record<string, unknown> {
  check(isObject(request.body), `request ${request.index} body is not a JSON object (${request.encoding})`);
  return request.body;
}

export function header(request: ObservedRequest, name: string): string | undefined {
  return request.headers[name.toLowerCase()];
}

export function responseHeader(request: ObservedRequest, name: string): string | undefined {
  return request.response?.headers[name.toLowerCase()];
}

export function uuidsOf(request: ObservedRequest): unknown[] {
  return request.events.map((event) => event.uuid);
}

/** The gaps, in ms, between the arrivals of consecutive requests. */
export function arrivalGaps(requests: readonly ObservedRequest[]): number[] {
  const gaps: number[] = [];
  for (let i = 1; i < requests.length; i++) {
    const [before, after] = [requests[i - 1], requests[i]];
    if (before && after) gaps.push(after.receivedAt - before.receivedAt);
  }
  return gaps;
}

/** Deep equality of JSON values, regardless of key order. */
export function same(actual: unknown, expected: unknown): boolean {
  return isDeepStrictEqual(actual, expected);
}
