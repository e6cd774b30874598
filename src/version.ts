/** The package version, sent as `$lib_version` and in the User-Agent. Kept equal to package.json by a test. */
export const VERSION = '0.1.0';

/** The library name, sent as `$lib`. */
export const LIB_NAME = 'posthog-ts';
