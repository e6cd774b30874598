// Packaging checks: publint, are-the-types-wrong, and a smoke test that installs the packed tarball into a
// The node16 profile: this package needs Node >= 20, so pre-exports-map (node10) resolution does not apply.
// scratch project and imports it from ESM, CommonJS and TypeScript (node16 and bundler resolution).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (cmd, args, cwd = root) => {
  process.stdout.write(`$ ${[cmd, ...args].join(' ')}\n`);
  return execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
};

process.stdout.write(run(bin('publint'), ['--strict']));
process.stdout.write(run(bin('attw'), ['--pack', '.', '--profile', 'node16', '--format', 'table-flipped']));

const scratch = mkdtempSync(join(tmpdir(), 'posthog-ts-smoke-'));
try {
  const tarball = run('npm', ['pack', '--silent', '--pack-destination', scratch]).trim().split('\n').pop();
  writeFileSync(
    join(scratch, 'package.json'),
    JSON.stringify({ name: 'smoke', private: true, type: 'module' }),
  );
  run(
    'npm',
    ['install', '--silent', '--no-audit', '--no-fund', '--offline', join(scratch, tarball)],
    scratch,
  );
  // posthog-ts/nestjs imports rxjs, an optional peer npm does not install: link this repository's copy, as an
  // application's own would be (Node resolves the link, so rxjs finds its own dependencies here).
  symlinkSync(join(root, 'node_modules/rxjs'), join(scratch, 'node_modules/rxjs'), 'dir');

  const esm = `
    import { PostHog, Properties, ConfigError, VERSION } from 'posthog-ts';
    import { startLocalPostHog, createRecordingClient } from 'posthog-ts/testing';
    import { posthogErrorHandler } from 'posthog-ts/express';
    import { posthogHono } from 'posthog-ts/hono';
    import { PostHogInterceptor } from 'posthog-ts/nestjs';
    import { posthogFastify } from 'posthog-ts/fastify';
    import { posthogPinoHooks } from 'posthog-ts/pino';
    const server = await startLocalPostHog();
    const client = new PostHog('phc_smoke', { host: server.url });
    client.capture({ distinctId: 'u', event: 'esm', properties: new Properties().set('a', 1) });
    await client.shutdown();
    await server.waitForEvents(1);
    await server.stop();
    if (!(new ConfigError('x', 'y', 1) instanceof Error) || typeof createRecordingClient !== 'function') throw new Error('exports');
    // Entry points share chunks, so the recording client is the same class users import.
    if (!(createRecordingClient().client instanceof PostHog)) throw new Error('one PostHog class across entry points');
    for (const fn of [posthogErrorHandler, posthogHono, posthogFastify, posthogPinoHooks, PostHogInterceptor]) {
      if (typeof fn !== 'function') throw new Error('integration exports');
    }
    console.log('esm ok', VERSION);
  `;
  writeFileSync(join(scratch, 'esm.mjs'), esm);
  process.stdout.write(run('node', ['esm.mjs'], scratch));

  const cjs = `
    const { PostHog } = require('posthog-ts');
    const { createRecordingClient } = require('posthog-ts/testing');
    const { client, events } = createRecordingClient();
    client.capture({ distinctId: 'u', event: 'cjs' });
    client.flush().then(() => {
      if (events.length !== 1 || typeof PostHog !== 'function') throw new Error('cjs');
      return client.shutdown();
    }).then(() => console.log('cjs ok'));
  `;
  writeFileSync(join(scratch, 'cjs.cjs'), cjs);
  process.stdout.write(run('node', ['cjs.cjs'], scratch));

  const ts = `
    import { PostHog, flagTypesSource, type CaptureResult, type IPostHog, type PostHogOptions } from 'posthog-ts';
    import { startLocalPostHog, type LocalPostHog } from 'posthog-ts/testing';
    const options: PostHogOptions = { flushAt: 10, fetch: globalThis.fetch };
    const client: IPostHog = new PostHog('phc_x', options);
    const result: CaptureResult = client.capture({ distinctId: 'u', event: 'ts' });
    const start: () => Promise<LocalPostHog> = startLocalPostHog;
    // Typed flags through the bundled declarations: a declared key's values, and a typo refused.
    const typed = new PostHog<{ 'pricing-test': 'control' | 'discount' }>('phc_x', { disabled: true });
    const variant: Promise<'control' | 'discount' | false | undefined> = typed.getFeatureFlag('pricing-test', 'u');
    // @ts-expect-error not a declared key
    typed.getFeatureFlag('pricing-tset', 'u');
    const source: string = flagTypesSource({ flags: [] });
    const asUntyped: PostHog = typed;
    void asUntyped;
    export { result, start, variant, source };
  `;
  writeFileSync(join(scratch, 'smoke.ts'), ts);
  // Also with a TypeScript older than 5.7, which has no generic typed arrays: the published types must not need
  // them. The one @arethetypeswrong/core pins (package-lock.json) serves; a devDependency of its own would clash
  // with the main compiler's `tsc` bin.
  const tsc56 = olderTypeScript();
  for (const [module, resolution, compiler] of [
    ['node16', 'node16', bin('tsc')],
    ['esnext', 'bundler', bin('tsc')],
    ['node16', 'node16', tsc56],
  ]) {
    run(
      compiler,
      [
        '--noEmit',
        '--strict',
        '--skipLibCheck',
        'false',
        '--module',
        module,
        '--moduleResolution',
        resolution,
        '--types',
        'node',
        '--typeRoots',
        join(root, 'node_modules/@types'),
        'smoke.ts',
      ],
      scratch,
    );
    process.stdout.write(`typescript ${compiler === tsc56 ? 'pre-5.7' : 'ok'} (${resolution})\n`);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

/** The `tsc` of the TypeScript below 5.7 that @arethetypeswrong/core depends on; throws if that changed. */
function olderTypeScript() {
  const attw = createRequire(import.meta.url).resolve('@arethetypeswrong/core/package.json');
  const manifest = createRequire(attw).resolve('typescript/package.json');
  const { version } = JSON.parse(readFileSync(manifest, 'utf8'));
  const [major, minor] = version.split('.').map(Number);
  if (major !== 5 || minor >= 7) {
    throw new Error(`expected a TypeScript older than 5.7 under @arethetypeswrong/core, found ${version}`);
  }
  return join(dirname(manifest), 'bin', 'tsc');
}
