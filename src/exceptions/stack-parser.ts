import type { ExceptionFrame } from '../api/messages.js';
import { moduleFromFilename } from './module-name.js';
import { collapseRecursion } from './recursion.js';
import { parseStackLine } from './stack-line.js';

/** Most frames kept per exception; the ones nearest the throw are kept. */
export const MAX_FRAMES = 50;
/** Longer lines are skipped: no real frame is that long, and regexes over huge minified lines are slow. */
export const MAX_LINE_LENGTH = 1024;
/** Most lines read from one stack, to bound the work for `Error.stackTraceLimit = Infinity`. */
export const MAX_STACK_LINES = 1000;

/** Options for {@link parseStack}. */
export interface ParseStackOptions {
  /** Frames to drop from the innermost end, e.g. the SDK's own frames on a synthetic stack. Default 0. */
  skipFrames?: number;
  /** Frames kept. Default {@link MAX_FRAMES}. */
  maxFrames?: number;
  /** The application's root for `module` names; see {@link moduleFromFilename}. */
  moduleBaseDir?: string;
}

/**
 * Parses a V8 `error.stack` string into PostHog frames, **outermost caller first and the throwing frame last**.
 * Lines that are not frames are ignored, as are lines over {@link MAX_LINE_LENGTH}; exact recursion cycles are
 * collapsed; each frame gets `platform`, `in_app` and, when it has a file, `module`.
 */
export function parseStack(stack: string, options: ParseStackOptions = {}): ExceptionFrame[] {
  const lines = stack.split(/\r?\n/, MAX_STACK_LINES);
  const innermostFirst: ExceptionFrame[] = [];
  for (const line of lines) {
    if (line.length > MAX_LINE_LENGTH) continue;
    const frame = parseStackLine(line);
    if (frame !== undefined) innermostFirst.push(frame);
  }
  const skip = Math.max(0, options.skipFrames ?? 0);
  const kept = collapseRecursion(innermostFirst.slice(skip)).slice(0, options.maxFrames ?? MAX_FRAMES);
  for (const frame of kept) {
    const module = moduleFromFilename(frame.filename, options.moduleBaseDir);
    if (module !== undefined) frame.module = module;
  }
  return kept.reverse();
}
