// The only file in src/exceptions that touches node:fs, so everything else also runs on edge runtimes.
import { readFile, stat } from 'node:fs/promises';
import { MAX_SOURCE_FILE_BYTES, type SourceReader } from './source-reader.js';

/** Options for {@link createNodeSourceReader}. */
export interface NodeSourceReaderOptions {
  /** Files larger than this are not read. Default {@link MAX_SOURCE_FILE_BYTES} (10 MB). */
  maxBytes?: number;
}

/**
 * A {@link SourceReader} over the local file system (`node:fs/promises`, so it never blocks the event loop). Files
 * that are missing, are not regular files or are larger than `maxBytes` read as undefined; it never rejects.
 */
export function createNodeSourceReader(options: NodeSourceReaderOptions = {}): SourceReader {
  const maxBytes = options.maxBytes ?? MAX_SOURCE_FILE_BYTES;
  return async (path) => {
    try {
      // stat first so a huge bundle or a device file is never pulled into memory.
      const info = await stat(path);
      if (!info.isFile() || info.size > maxBytes) return undefined;
      return await readFile(path, 'utf8');
    } catch {
      return undefined;
    }
  };
}
