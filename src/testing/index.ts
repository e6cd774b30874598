/**
 * Test helpers: a local PostHog-compatible server and an in-memory recording client.
 *
 * @packageDocumentation
 */
export * from './recording-client.js';
export * from './server/index.js';
