import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Shape of consistency-vectors.json (only what the tests read). */
export interface ConsistencyVectors {
  simple: { flag: unknown; results: boolean[] };
  multivariate: { flag: unknown; results: (string | false)[]; payload_results_go: string[] };
  hash_vectors: {
    calculate_hash: { key: string; id: string; salt: string; hash: number }[];
    simple_enabled: { key: string; id: string; rollout_percentage: number; enabled: boolean }[];
  };
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../..');

/** Loads the vectors: the repo copy first, then shared/ beside the repo (CI layout). */
export function loadVectors(): ConsistencyVectors {
  const candidates = [
    path.join(here, 'fixtures/consistency-vectors.json'),
    path.resolve(repoRoot, '../shared/reference/consistency-vectors.json'),
  ];
  const file = candidates.find((c) => existsSync(c));
  if (file === undefined) throw new Error('consistency-vectors.json not found');
  return JSON.parse(readFileSync(file, 'utf8')) as ConsistencyVectors;
}
