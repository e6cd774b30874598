import { pathToFileURL } from 'node:url';

/**
 * Where the built package is imported from. run.mjs snapshots dist/ at start (others may rebuild the tree
 * while a run is going: tsup cleans dist/ first) and passes the copy in BENCH_DIST; scenario modules run on
 * their own fall back to ../../dist.
 */
export function distUrl(file) {
  const dir = process.env.BENCH_DIST;
  return dir ? pathToFileURL(`${dir}/${file}`).href : new URL(`../../dist/${file}`, import.meta.url).href;
}
