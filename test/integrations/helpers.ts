import { Writable } from 'node:stream';
import type { ExceptionItem } from '../../src/index.js';
import type { RecordedEvent } from '../../src/testing/index.js';

/** A writable that keeps every line written to it: the logger's destination, as the application sees it. */
export class LineSink extends Writable {
  readonly lines: string[] = [];
  private pending = '';

  override _write(
    chunk: Buffer | string,
    _encoding: BufferEncoding,
    done: (error?: Error | null) => void,
  ): void {
    this.pending += chunk.toString();
    const parts = this.pending.split('\n');
    this.pending = parts.pop() ?? '';
    this.lines.push(...parts.filter((line) => line !== ''));
    done();
  }
}

/** The `$exception_list` of a recorded event. */
export function exceptionList(event: RecordedEvent | undefined): ExceptionItem[] {
  return (event?.properties.$exception_list ?? []) as ExceptionItem[];
}

/** The root entry's type and value, for compact assertions. */
export function root(event: RecordedEvent | undefined): { type: string; value: string } {
  const first = exceptionList(event)[0];
  return { type: first?.type ?? '', value: first?.value ?? '' };
}
