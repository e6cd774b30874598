/**
 * Reads bootstrap definitions from a JSON file. With `file-definition-cache.ts`, the only modules of the flag
 * layer that touch `node:*`, and only through a dynamic import, so edge bundles that never pass a path never
 * load `node:fs`.
 */
export async function readDefinitionsFile(path: string): Promise<unknown> {
  const fs = await import('node:fs/promises');
  const text = await fs.readFile(path, 'utf8');
  return JSON.parse(text) as unknown;
}
