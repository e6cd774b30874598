import { HttpError, isJsonObject, type JsonObject } from './http-util.js';

/*
 * Field readers for the harness's request bodies. `null` counts as "not sent": harnesses written in Python
 * serialise unset optional fields as null, and the contract says options that are not sent keep the SDK's
 * defaults.
 */

function bad(field: string, expectation: string): HttpError {
  return new HttpError(400, `"${field}" ${expectation}`);
}

export function requiredString(body: JsonObject, field: string): string {
  const value = body[field];
  if (typeof value !== 'string' || value === '')
    throw bad(field, 'is required and must be a non-empty string');
  return value;
}

export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw bad(field, 'must be a string');
  return value;
}

export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw bad(field, 'must be a boolean');
  return value;
}

export function optionalInteger(body: JsonObject, field: string, min: number): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw bad(field, 'must be an integer');
  if (value < min) throw bad(field, `must be at least ${min}`);
  return value;
}

export function optionalObject(body: JsonObject, field: string): JsonObject | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw bad(field, 'must be a JSON object');
  return value;
}
