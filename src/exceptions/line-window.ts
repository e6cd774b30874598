/** Longest source line sent as context; longer ones (minified or generated code) are cut around the column. */
export const MAX_CONTEXT_LINE_LENGTH = 140;

/**
 * `line` cut to `width` characters centred on the 1-based `colno`, with "..." where text was cut off, so the
 * failing expression of a very long line stays visible. Lines that fit are returned unchanged.
 */
export function trimLine(
  line: string,
  colno: number | undefined,
  width: number = MAX_CONTEXT_LINE_LENGTH,
): string {
  if (line.length <= width) return line;
  const column = Math.max(0, (colno ?? 1) - 1);
  const start = Math.max(0, Math.min(column - Math.floor(width / 2), line.length - width));
  const end = start + width;
  return `${start > 0 ? '...' : ''}${line.slice(start, end)}${end < line.length ? '...' : ''}`;
}
