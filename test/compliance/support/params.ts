/** Typed access to one step's params, with errors that name the action and the param. */
export class Params {
  constructor(
    readonly action: string,
    readonly raw: Readonly<Record<string, unknown>>,
  ) {}

  has(name: string): boolean {
    return Object.hasOwn(this.raw, name) && this.raw[name] !== undefined;
  }

  value(name: string): unknown {
    if (!this.has(name)) throw this.error(name, 'is required');
    return this.raw[name];
  }

  integer(name: string): number {
    const value = this.value(name);
    if (typeof value !== 'number' || !Number.isInteger(value)) throw this.error(name, 'must be an integer');
    return value;
  }

  optionalInteger(name: string, fallback: number): number {
    return this.has(name) ? this.integer(name) : fallback;
  }

  string(name: string): string {
    const value = this.value(name);
    if (typeof value !== 'string') throw this.error(name, 'must be a string');
    return value;
  }

  optionalString(name: string): string | undefined {
    return this.has(name) ? this.string(name) : undefined;
  }

  optionalBoolean(name: string): boolean | undefined {
    if (!this.has(name)) return undefined;
    const value = this.raw[name];
    if (typeof value !== 'boolean') throw this.error(name, 'must be a boolean');
    return value;
  }

  list(name: string): unknown[] {
    const value = this.value(name);
    if (!Array.isArray(value)) throw this.error(name, 'must be a list');
    return value;
  }

  object(name: string): Record<string, unknown> {
    const value = this.value(name);
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw this.error(name, 'must be a mapping');
    return value as Record<string, unknown>;
  }

  private error(name: string, problem: string): Error {
    return new Error(`contract step ${this.action}: param "${name}" ${problem}`);
  }
}
