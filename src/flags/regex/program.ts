import type { CharSet } from './charset.js';
import type { RegexNode } from './parser.js';

/** Instruction opcodes of the Thompson NFA. */
const OP_CHAR = 0;
const OP_SPLIT = 1;
const OP_JMP = 2;
const OP_BOL = 3;
const OP_EOL = 4;
const OP_MATCH = 5;

/**
 * Upper bound on NFA size. Counted repetition is expanded, so `a{100000}` would otherwise cost memory and time
 * per character proportional to the count; beyond this the server decides.
 */
export const MAX_INSTRUCTIONS = 20_000;

class TooLarge {}

/**
 * A compiled NFA plus its reusable simulation state. Matching is a Pike-VM style breadth-first simulation over
 * sparse sets: every input position costs at most one visit per instruction, so time is O(pattern × input)
 * whatever the pattern, and no input can make it backtrack.
 */
export class Program {
  private readonly op: Int32Array;
  private readonly arg1: Int32Array;
  private readonly arg2: Int32Array;
  /** All character sets flattened, four words each, so membership is one typed-array read. */
  private readonly setWords: Int32Array;
  // Simulation scratch, allocated once per program: two thread lists (sparse sets) and a closure stack.
  private curDense: Int32Array;
  private curSparse: Int32Array;
  private nextDense: Int32Array;
  private nextSparse: Int32Array;
  private readonly stack: Int32Array;
  private curCount = 0;
  private nextCount = 0;
  private matched = false;

  /** Builds a program from a syntax tree; throws {@link TooLarge} past {@link MAX_INSTRUCTIONS}. */
  constructor(root: RegexNode) {
    const b = new Builder();
    b.emit(root);
    b.push(OP_MATCH, 0, 0);
    const n = b.op.length;
    this.op = Int32Array.from(b.op);
    this.arg1 = Int32Array.from(b.arg1);
    this.arg2 = Int32Array.from(b.arg2);
    this.setWords = new Int32Array(b.sets.length * 4);
    for (let i = 0; i < b.sets.length; i++) this.setWords.set(b.sets[i] as CharSet, i * 4);
    this.curDense = new Int32Array(n);
    this.curSparse = new Int32Array(n);
    this.nextDense = new Int32Array(n);
    this.nextSparse = new Int32Array(n);
    this.stack = new Int32Array(2 * n + 2);
  }

  /** Number of NFA instructions. */
  get size(): number {
    return this.op.length;
  }

  /** Unanchored search, like `RegExp.prototype.test` without flags. `input` is assumed to be ASCII. */
  test(input: string): boolean {
    const len = input.length;
    this.curCount = 0;
    this.matched = false;
    for (let pos = 0; ; pos++) {
      // Seeding the start state at every position is the unanchored search (an implicit leading `.*?`).
      this.add(true, 0, pos, len);
      if (this.matched) return true;
      if (pos === len) return false;
      const c = input.charCodeAt(pos);
      if (c > 127) return false;
      const word = c >> 5;
      const bit = c & 31;
      this.nextCount = 0;
      const dense = this.curDense;
      const op = this.op;
      const arg1 = this.arg1;
      const setWords = this.setWords;
      const count = this.curCount;
      for (let i = 0; i < count; i++) {
        const pc = dense[i] as number;
        if (
          op[pc] === OP_CHAR &&
          (((setWords[((arg1[pc] as number) << 2) + word] as number) >>> bit) & 1) === 1
        ) {
          this.add(false, pc + 1, pos + 1, len);
        }
      }
      if (this.matched) return true;
      this.swap();
    }
  }

  private swap(): void {
    const d = this.curDense;
    const s = this.curSparse;
    this.curDense = this.nextDense;
    this.curSparse = this.nextSparse;
    this.nextDense = d;
    this.nextSparse = s;
    this.curCount = this.nextCount;
  }

  /** Adds `start` and its epsilon closure at input position `pos` to the current (or next) list. */
  private add(toCurrent: boolean, start: number, pos: number, len: number): void {
    const dense = toCurrent ? this.curDense : this.nextDense;
    const sparse = toCurrent ? this.curSparse : this.nextSparse;
    let count = toCurrent ? this.curCount : this.nextCount;
    const stack = this.stack;
    let sp = 0;
    stack[sp++] = start;
    while (sp > 0) {
      const pc = stack[--sp] as number;
      const slot = sparse[pc] as number;
      if (slot < count && dense[slot] === pc) continue;
      sparse[pc] = count;
      dense[count++] = pc;
      switch (this.op[pc]) {
        case OP_JMP:
          stack[sp++] = this.arg1[pc] as number;
          break;
        case OP_SPLIT:
          stack[sp++] = this.arg2[pc] as number;
          stack[sp++] = this.arg1[pc] as number;
          break;
        case OP_BOL:
          if (pos === 0) stack[sp++] = pc + 1;
          break;
        case OP_EOL:
          if (pos === len) stack[sp++] = pc + 1;
          break;
        case OP_MATCH:
          this.matched = true;
          break;
      }
    }
    if (toCurrent) this.curCount = count;
    else this.nextCount = count;
  }
}

/** Emits Thompson-construction code for a syntax tree. */
class Builder {
  readonly op: number[] = [];
  readonly arg1: number[] = [];
  readonly arg2: number[] = [];
  readonly sets: CharSet[] = [];

  push(op: number, a: number, b: number): number {
    if (this.op.length >= MAX_INSTRUCTIONS) throw new TooLarge();
    this.op.push(op);
    this.arg1.push(a);
    this.arg2.push(b);
    return this.op.length - 1;
  }

  emit(node: RegexNode): void {
    switch (node.kind) {
      case 'set':
        this.sets.push(node.set);
        this.push(OP_CHAR, this.sets.length - 1, 0);
        return;
      case 'bol':
        this.push(OP_BOL, 0, 0);
        return;
      case 'eol':
        this.push(OP_EOL, 0, 0);
        return;
      case 'empty':
        return;
      case 'concat':
        for (const item of node.items) this.emit(item);
        return;
      case 'alt': {
        const jumps: number[] = [];
        node.items.forEach((item, i) => {
          if (i === node.items.length - 1) {
            this.emit(item);
            return;
          }
          const split = this.push(OP_SPLIT, this.op.length + 1, 0);
          this.emit(item);
          jumps.push(this.push(OP_JMP, 0, 0));
          this.arg2[split] = this.op.length;
        });
        for (const j of jumps) this.arg1[j] = this.op.length;
        return;
      }
      case 'repeat':
        this.emitRepeat(node.item, node.min, node.max);
        return;
    }
  }

  private emitRepeat(item: RegexNode, min: number, max: number): void {
    if (max === -1) {
      if (min === 0) {
        // L: split(body, out); body; jmp L
        const split = this.push(OP_SPLIT, this.op.length + 1, 0);
        this.emit(item);
        this.push(OP_JMP, split, 0);
        this.arg2[split] = this.op.length;
        return;
      }
      for (let i = 0; i < min - 1; i++) this.emit(item);
      // L: body; split(L, out)
      const loop = this.op.length;
      this.emit(item);
      this.push(OP_SPLIT, loop, this.op.length + 1);
      return;
    }
    for (let i = 0; i < min; i++) this.emit(item);
    const splits: number[] = [];
    for (let i = min; i < max; i++) {
      splits.push(this.push(OP_SPLIT, this.op.length + 1, 0));
      this.emit(item);
    }
    for (const s of splits) this.arg2[s] = this.op.length;
  }
}

/** Compiles a tree, or returns null when the program would exceed {@link MAX_INSTRUCTIONS}. */
export function compileProgram(root: RegexNode): Program | null {
  try {
    return new Program(root);
  } catch (e) {
    if (e instanceof TooLarge) return null;
    throw e;
  }
}
