/** Writes `text` as UTF-8 into `into` at `at`; returns the bytes written (all of them, given 3 bytes a char). */
export type Utf8Writer = (text: string, into: Uint8Array, at: number) => number;

/**
 * Builds a platform's `encodeList`: the UTF-8 of `head`, then `items` separated by commas, then `tail`, written
 * into one buffer. A batch body built this way skips two copies of the whole text that a joined string costs
 * (the join, then flattening the concatenation around it before encoding), which is most of what a flush
 * allocates on the JavaScript heap.
 *
 * Room is reserved for the text as if it were ASCII, plus enough that any one item could take 3 bytes per
 * character: ASCII bodies (nearly all) are written without ever growing the buffer. A batch with much non-ASCII
 * text (CJK property values, say) usually doubles it once, and gzip then reads a view of the larger buffer.
 */
export function listEncoder(
  alloc: (bytes: number) => Uint8Array,
  write: Utf8Writer,
): (head: string, items: readonly string[], tail: string) => Uint8Array {
  return (head, items, tail) => {
    let chars = 0;
    let longest = Math.max(head.length, tail.length);
    for (let i = 0; i < items.length; i++) {
      const length = (items[i] as string).length;
      chars += length;
      if (length > longest) longest = length;
    }
    let out = alloc(head.length + chars + items.length + tail.length + 2 * longest);
    let at = 0;
    /** Writes `text`, after a comma when `comma` is 1, growing the buffer first if it might not fit. */
    const put = (text: string, comma: 0 | 1): void => {
      const room = at + comma + 3 * text.length;
      if (room > out.length) {
        const grown = alloc(Math.max(out.length * 2, room));
        grown.set(out.subarray(0, at));
        out = grown;
      }
      if (comma) out[at++] = 0x2c;
      at += write(text, out, at);
    };
    put(head, 0);
    for (let i = 0; i < items.length; i++) put(items[i] as string, i > 0 ? 1 : 0);
    put(tail, 0);
    return out.subarray(0, at);
  };
}
