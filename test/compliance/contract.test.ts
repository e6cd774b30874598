import { defineComplianceSuites } from './support/define-suites.js';

// Both capture modes in one file so their (mostly sleeping) tests overlap: vitest runs files one at a time
// on a two-core machine, and each mode alone takes about 20 s of real-time waits.
// v0: ordinary events on /batch/, AI events on /i/v0/ai/batch/.
// feature_flags runs in both modes: its tests are about /flags, but $feature_flag_called rides the capture path.
await defineComplianceSuites('v0', ['capture', 'capture_ai', 'feature_flags']);
// v1: ordinary events on /i/v1/analytics/events; AI events keep their own endpoint.
await defineComplianceSuites('v1', ['capture_v1', 'capture_ai', 'feature_flags']);
