import type { ExceptionFrame, ExceptionItem } from '../api/messages.js';

const WINDOWS_ABSOLUTE = /^[a-z]:\//i;

/**
 * An absolute `filename` under `cwd`, made relative with forward slashes (`/srv/app/src/a.js` → `src/a.js`), so
 * frames and fingerprints match across machines that deploy to different directories. Windows paths compare
 * case-insensitively. Paths outside `cwd` keep their absolute form (with forward slashes) rather than gaining
 * `../` segments that depend on the deploy depth; non-absolute names (`node:fs`, `<anonymous>`) are unchanged.
 */
export function toRelativeFilename(filename: string, cwd: string): string {
  const path = filename.replace(/\\/g, '/');
  const windows = WINDOWS_ABSOLUTE.test(path) || path.startsWith('//');
  if (!windows && !path.startsWith('/')) return filename;
  const base = cwd.replace(/\\/g, '/').replace(/\/+$/, '');
  const prefix = `${base}/`;
  const under = windows ? path.toLowerCase().startsWith(prefix.toLowerCase()) : path.startsWith(prefix);
  return under ? path.slice(prefix.length) : path;
}

/** The frames with {@link toRelativeFilename} applied; frames are copied, not changed. */
export function relativeFrames(frames: readonly ExceptionFrame[], cwd: string): ExceptionFrame[] {
  return frames.map((frame) =>
    frame.filename === undefined ? frame : { ...frame, filename: toRelativeFilename(frame.filename, cwd) },
  );
}

/**
 * Every entry's frames made relative to `cwd`. Apply it last: `in_app`, `module` and source context need the
 * absolute path.
 */
export function relativeExceptionList(items: readonly ExceptionItem[], cwd: string): ExceptionItem[] {
  return items.map((item) =>
    item.stacktrace === undefined
      ? item
      : { ...item, stacktrace: { type: 'raw', frames: relativeFrames(item.stacktrace.frames, cwd) } },
  );
}
