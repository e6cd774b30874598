import type { ExceptionItem } from '../api/messages.js';
import { relativeExceptionList } from './relative-path.js';
import { addSourceContextToList } from './source-context.js';
import type { SourceReader } from './source-reader.js';

/** How long an exception may wait for its source files before it is sent without context lines. */
const SOURCE_CONTEXT_TIMEOUT_MS = 500;

/**
 * The steps that need the file system, in order: context lines from the source files (bounded in time, never
 * rejecting), then filenames relative to the working directory. Edge runtimes skip this entirely.
 */
export async function enrichExceptionList(
  list: readonly ExceptionItem[],
  source: { read: SourceReader; cwd(): string },
): Promise<ExceptionItem[]> {
  const withContext = await addSourceContextToList(list, source.read, {
    timeoutMs: SOURCE_CONTEXT_TIMEOUT_MS,
  });
  return relativeExceptionList(withContext, source.cwd());
}
