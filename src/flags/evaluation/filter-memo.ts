import type { RawPropertyFilter } from './types.js';

/**
 * Shared property-filter slots.
 *
 * Flags in one project tend to repeat the same filters (`email icontains @company.com`, `plan in [pro,
 * enterprise]`), so `getAllFlags` would otherwise test the same property the same way once per flag. At compile
 * time every distinct property filter (key, operator, value) gets a slot number; during one evaluation call the definite
 * outcome of each slot against the person's properties is remembered (see {@link EvalState.memo}). Negation is
 * not part of the signature: it is applied by the caller, after the match.
 */
export class FilterSlots {
  private readonly bySignature = new Map<string, number>();

  /** Number of slots handed out. */
  get size(): number {
    return this.bySignature.size;
  }

  /** The slot of a filter, or -1 when it cannot be given one (a value that does not serialise). */
  slotOf(raw: RawPropertyFilter, operator: string): number {
    let signature: string;
    try {
      signature = JSON.stringify([String(raw.key), operator, raw.value ?? null]);
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
