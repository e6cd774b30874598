import type { JsonValue } from '../evaluation/types.js';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property name as TypeScript source: bare when it is an identifier, quoted otherwise. */
export function propertyName(key: string): string {
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}

/** The TypeScript types in `types`, each once, in the order first seen, as one union. */
export function union(types: readonly string[]): string {
  const unique = [...new Set(types)];
  return unique.length === 0 ? 'never' : unique.join(' | ');
}

/**
 * The TypeScript type of a JSON value as source text; sets `used.json` when the text refers to `JsonValue`: the value's structure with primitives widened (`"red"` reads
 * as `string`), so the type still holds after someone edits the payload's values in PostHog.
 */
export function jsonType(value: JsonValue, depth = 0, used: { json: boolean } = { json: false }): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  // A payload nested this deep is not worth spelling out (past it, any JSON), nor is an empty array's element.
  if (depth >= 8 || (Array.isArray(value) && value.length === 0)) {
    used.json = true;
    return depth >= 8 ? 'JsonValue' : 'JsonValue[]';
  }
  if (Array.isArray(value)) {
    const element = union(value.map((item: JsonValue) => jsonType(item, depth + 1, used)));
    return element.includes(' ') ? `Array<${element}>` : `${element}[]`;
  }
  const members = Object.entries(value as { readonly [key: string]: JsonValue }).map(
    ([key, item]) => `${propertyName(key)}: ${jsonType(item, depth + 1, used)}`,
  );
  return members.length === 0 ? 'Record<string, never>' : `{ ${members.join('; ')} }`;
}
