// Only the extensions Node runs directly are dropped, so `a.ts` and `a.js` stay distinguishable when both exist.
const DROPPED_EXTENSION = /\.(?:js|mjs|cjs)$/;
const NODE_MODULES = '/node_modules/';

/**
 * The dotted module name PostHog shows next to a frame, derived from its file path:
 * `…/node_modules/pkg/sub/file.js` → `pkg.sub:file`, `<baseDir>/dir/sub/file.js` → `dir.sub:file`, and any other
 * path → its base name. `.js`, `.mjs` and `.cjs` are dropped. Undefined when there is no real file.
 *
 * @param baseDir The application's root, usually the main script's directory; without it only the base name is used.
 */
export function moduleFromFilename(filename: string | undefined, baseDir?: string): string | undefined {
  if (filename === undefined || filename === '' || filename === '<anonymous>' || filename === 'native') {
    return undefined;
  }
  const path = filename.replace(/\\/g, '/');
  const inDeps = path.lastIndexOf(NODE_MODULES);
  if (inDeps !== -1) return dotted(path.slice(inDeps + NODE_MODULES.length));
  if (baseDir !== undefined && baseDir !== '') {
    const base = baseDir.replace(/\\/g, '/').replace(/\/+$/, '');
    if (path.startsWith(`${base}/`)) return dotted(path.slice(base.length + 1));
  }
  return dotted(path.slice(path.lastIndexOf('/') + 1));
}

function dotted(relative: string): string {
  const parts = relative.split('/').filter((part) => part !== '');
  const file = (parts.pop() ?? '').replace(DROPPED_EXTENSION, '');
  return parts.length === 0 ? file : `${parts.join('.')}:${file}`;
}
