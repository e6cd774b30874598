import type { FlagDefinitionCacheProvider, FlagDefinitionsData } from './types.js';

/** How long a process that set out to fetch keeps the others reading the file instead. */
const CLAIM_MS = 15_000;

/** Options of {@link fileFlagDefinitionCache}. */
export interface FileFlagDefinitionCacheOptions {
  /**
   * How old the file may be, in ms, before a process fetches definitions itself instead of reading it: with
   * several processes on one host (a PM2 cluster, workers), one fetches per `maxAgeMs` and the others read what it
   * wrote (a process that fetches claims the file for up to 15 s first, and a `304` writes it again, fresh).
   * Default `0`, as is anything but a positive number: every process fetches, and the file serves only when a
   * fetch fails.
   */
  maxAgeMs?: number | undefined;
}

/**
 * A {@link FlagDefinitionCacheProvider} that keeps the last definitions fetched in a JSON file (Node only). A
 * process that starts while PostHog cannot be reached, or whose fetches fail, evaluates flags from the file
 * instead of having none; with `maxAgeMs`, processes of one host share one fetch. Writes are atomic (a
 * temporary file renamed over the old one), so a reader never sees half a file.
 */
export function fileFlagDefinitionCache(
  path: string,
  options: FileFlagDefinitionCacheOptions = {},
): FlagDefinitionCacheProvider {
  // Anything but a positive finite age (NaN, a negative number) means: every process fetches.
  const maxAge = options.maxAgeMs;
  const maxAgeMs = typeof maxAge === 'number' && Number.isFinite(maxAge) && maxAge > 0 ? maxAge : 0;
  // A dynamic import, as for the bootstrap file: edge bundles that never use this never load node:fs.
  const fs = () => import('node:fs/promises');
  let writes = 0;
  return {
    async getFlagDefinitions(): Promise<FlagDefinitionsData | undefined> {
      let text: string;
      try {
        text = await (await fs()).readFile(path, 'utf8');
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
        throw error;
      }
      return JSON.parse(text) as FlagDefinitionsData;
    },
    async shouldFetchFlagDefinitions(): Promise<boolean> {
      if (maxAgeMs <= 0) return true;
      const { stat, utimes } = await fs();
      let mtimeMs: number;
      try {
        ({ mtimeMs } = await stat(path));
      } catch {
        return true; // no file yet (or unreadable): fetch
      }
      const now = Date.now();
      if (now - mtimeMs < maxAgeMs) return false;
      // Claim this round for CLAIM_MS at most: the others keep reading the file while this process fetches. A fetch
      // that succeeds (200, or a 304 confirming the file) writes the file, fresh for maxAgeMs; one that fails
      // leaves the claim to run out, and another process tries.
      const claimed = new Date(now - maxAgeMs + Math.min(maxAgeMs, CLAIM_MS));
      await utimes(path, claimed, claimed).catch(() => {});
      return true;
    },
    async onFlagDefinitionsReceived(data: FlagDefinitionsData): Promise<void> {
      const { writeFile, rename, rm } = await fs();
      // Unique per process and write, so processes sharing the file never write the same temporary file.
      const temporary = `${path}.${Math.random().toString(36).slice(2)}.${writes++}.tmp`;
      try {
        await writeFile(temporary, JSON.stringify(data));
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => {});
        throw error;
      }
    },
    shutdown(): void {},
  };
}
