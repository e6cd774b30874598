/**
 * Reads one source file for stack-frame context: its text, or undefined when it cannot or should not be read.
 * May reject or be slow; `addSourceContext` bounds it. Edge runtimes, which have no files, pass none.
 */
export type SourceReader = (path: string) => Promise<string | undefined>;

/** Largest source file read for context, in bytes (or characters, where only the text is known). */
export const MAX_SOURCE_FILE_BYTES = 10 * 1024 * 1024;
