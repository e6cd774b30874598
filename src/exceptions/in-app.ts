// Other URL schemes (webpack://, app://) point at bundled application code; node: and data: are not files of the app.
const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const WINDOWS_DRIVE = /^[a-z]:\//i;

/**
 * Whether a frame's file is the application's own code. False for dependencies (`node_modules`), Node internals
 * (`node:`), native and eval-only frames and bare relative paths such as Node's old `internal/...`; true for
 * absolute POSIX, Windows and UNC paths, `./` paths and URL-scheme paths outside `node_modules`.
 */
export function isInApp(filename: string | undefined): boolean {
  if (filename === undefined || filename === '') return false;
  const path = filename.replace(/\\/g, '/');
  if (path.includes('/node_modules/') || path.startsWith('node_modules/')) return false;
  if (path.startsWith('node:') || path.startsWith('data:')) return false;
  return path.startsWith('/') || path.startsWith('./') || WINDOWS_DRIVE.test(path) || URL_SCHEME.test(path);
}
