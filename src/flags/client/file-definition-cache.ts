import type { FlagDefinitionCacheProvider, FlagDefinitionsData } from './types.js';

/** Options of {@link fileFlagDefinitionCache}. */
export interface FileFlagDefinitionCacheOptions {
  /**
   * How old the file may be, in ms, before a process fetches definitions itself instead of reading it: with
   * several processes on one host (a PM2 cluster, workers), one fetches per `maxAgeMs` and the others read what it
   * wrote (a process that fetches marks the file fresh first, so a `304` keeps it fresh too). Default `0`, as is
   * anything but a positive number: every process fetches, and the file serves only when a fetch fails.
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
      if (Date.now() - mtimeMs < maxAgeMs) return false;
      // Claim this round: the file looks fresh to the other processes while this one fetches, and stays so when
      // the answer is a 304 (nothing new to write). If another process claimed it first, both fetch once.
      const now = new Date();
      await utimes(path, now, now).catch(() => {});
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
