import type { CompiledPropertyFilter } from './compiled.js';

/**
 * Shared property-filter slots.
 *
 * Flags in one project tend to repeat the same filters (`email icontains @company.com`, `plan in [pro,
 * enterprise]`), so `getAllFlags` would otherwise test the same property the same way once per flag. At compile
 * time every distinct property filter gets a slot number; during one evaluation call the definite
 * outcome of each slot against the person's properties is remembered (see {@link EvalState.memo}). Negation is
 * not part of the signature: it is applied by the caller, after the match.
 */
export class FilterSlots {
  private readonly bySignature = new Map<string, number>();

  /** Number of slots handed out. */
  get size(): number {
    return this.bySignature.size;
  }

  /**
   * The slot of a compiled filter, from everything the matcher reads (so two filters share a slot only when they
   * cannot answer differently), or -1 when that cannot be written down.
   */
  slotOf(f: Omit<CompiledPropertyFilter, 'slot'>): number {
    let signature: string;
    try {
      signature = JSON.stringify([
        f.key,
        f.operator,
        f.unsupported,
        f.exactMode,
        f.booleanLike,
        f.exactTruthy,
        f.exactList,
        f.lowered,
        f.text,
        String(f.number), // NaN and Infinity would all be `null` in JSON
        f.date,
        f.semver,
        f.semverRange,
      ]);
    } catch {
      return -1;
    }
    let slot = this.bySignature.get(signature);
    if (slot === undefined) {
      slot = this.bySignature.size;
      this.bySignature.set(signature, slot);
    }
    return slot;
  }
}
