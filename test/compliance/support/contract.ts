import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, type ScalarTag } from 'yaml';

/** The vendored contract (see compliance/contract/README.md); tests never read ../shared. */
export const CONTRACT_PATH = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../compliance/contract/CONTRACT.yaml',
);

export interface ContractStep {
  readonly action: string;
  readonly params: Readonly<Record<string, unknown>>;
}

export interface ContractTest {
  readonly suite: string;
  readonly category: string;
  readonly name: string;
  readonly description: string;
  /** `undefined` when the test does not restrict SDK types (it then applies to every SDK). */
  readonly sdkTypes: readonly string[] | undefined;
  /** Capabilities the suite and the test require. */
  readonly requires: readonly string[];
  readonly steps: readonly ContractStep[];
}

/** A test the adapter's capabilities or SDK type rule out, and why. */
export interface SkippedTest {
  readonly test: ContractTest;
  readonly reason: string;
}

function record(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`contract: ${where} must be a mapping`);
  }
  return value as Record<string, unknown>;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value;
  throw new Error(`contract: ${where} must be a string or a list of strings`);
}

/** Reads CONTRACT.yaml, resolving its `!include <relative path>` tags. */
export function loadContract(path: string = CONTRACT_PATH): Record<string, unknown> {
  const include: ScalarTag = {
    tag: '!include',
    resolve: (relative: string) => parse(readFileSync(join(dirname(path), relative), 'utf8')) as unknown,
  };
  return record(parse(readFileSync(path, 'utf8'), { customTags: [include] }), 'CONTRACT.yaml');
}

/** Every test of one suite, with the suite's `requires` folded into each test's. */
export function suiteTests(contract: Record<string, unknown>, suiteName: string): ContractTest[] {
  const suites = record(contract.test_suites, 'test_suites');
  const suite = record(suites[suiteName], `test_suites.${suiteName}`);
  const suiteRequires = stringList(suite.requires, `${suiteName}.requires`);
  const tests: ContractTest[] = [];
  for (const [category, raw] of Object.entries(record(suite.categories, `${suiteName}.categories`))) {
    const where = `${suiteName}.${category}`;
    const list = record(raw, where).tests;
    if (!Array.isArray(list)) throw new Error(`contract: ${where}.tests must be a list`);
    for (const item of list) {
      const test = record(item, `${where} test`);
      const name = String(test.name);
      const steps = Array.isArray(test.steps) ? test.steps : [];
      tests.push({
        suite: suiteName,
        category,
        name,
        description: typeof test.description === 'string' ? test.description : '',
        sdkTypes: test.sdk_types === undefined ? undefined : stringList(test.sdk_types, `${name}.sdk_types`),
        requires: [...suiteRequires, ...stringList(test.requires, `${name}.requires`)],
        steps: steps.map((step: unknown, i: number) => {
          const s = record(step, `${name} step ${i}`);
          return {
            action: String(s.action),
            params: s.params === undefined || s.params === null ? {} : record(s.params, `${name} params`),
          };
        }),
      });
    }
  }
  return tests;
}

/**
 * Splits tests into those this adapter runs and those it skips: a test runs when every capability it (or its
 * suite) requires is declared, and its `sdk_types` is absent or includes `sdkType`.
 */
export function selectTests(
  tests: readonly ContractTest[],
  capabilities: readonly string[],
  sdkType = 'server',
): { selected: ContractTest[]; skipped: SkippedTest[] } {
  const selected: ContractTest[] = [];
  const skipped: SkippedTest[] = [];
  for (const test of tests) {
    const missing = test.requires.filter((capability) => !capabilities.includes(capability));
    if (missing.length > 0) skipped.push({ test, reason: `requires ${missing.join(', ')}` });
    else if (test.sdkTypes !== undefined && !test.sdkTypes.includes(sdkType))
      skipped.push({ test, reason: `for ${test.sdkTypes.join('/')} SDKs` });
    else selected.push(test);
  }
  return { selected, skipped };
}
