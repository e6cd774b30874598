import { describe, expect, it } from 'vitest';
import { isInApp } from '../../src/exceptions/in-app.js';
import { moduleFromFilename } from '../../src/exceptions/module-name.js';
import { relativeExceptionList, toRelativeFilename } from '../../src/exceptions/relative-path.js';

describe('isInApp', () => {
  it.each([
    ['/srv/app/src/a.js', true],
    ['C:\\app\\src\\a.js', true],
    ['C:/app/src/a.js', true],
    ['\\\\server\\share\\a.js', true],
    ['./src/a.js', true],
    ['webpack:///./src/a.js', true],
    ['app:///dist/a.js', true],
    ['/srv/app/node_modules/pg/lib/client.js', false],
    ['C:\\app\\node_modules\\pg\\client.js', false],
    ['node_modules/pg/client.js', false],
    ['node:internal/modules/cjs/loader', false],
    ['node:fs', false],
    ['data:text/javascript,1', false],
    ['internal/modules/cjs/loader.js', false],
    ['<anonymous>', false],
    ['evalmachine.<anonymous>', false],
    ['native', false],
    ['src/a.js', false],
    ['', false],
    [undefined, false],
  ])('%s -> %s', (filename, expected) => {
    expect(isInApp(filename)).toBe(expected);
  });
});

describe('moduleFromFilename', () => {
  it.each([
    ['/srv/app/src/db/query.js', '/srv/app', 'src.db:query'],
    ['/srv/app/index.mjs', '/srv/app/', 'index'],
    ['/srv/app/a.cjs', undefined, 'a'],
    ['/srv/app/a.ts', '/srv/app', 'a.ts'],
    ['/elsewhere/x.js', '/srv/app', 'x'],
    ['/srv/app/node_modules/express/lib/router/index.js', '/srv/app', 'express.lib.router:index'],
    ['/srv/app/node_modules/@scope/pkg/dist/x.js', undefined, '@scope.pkg.dist:x'],
    ['/srv/app/node_modules/a/node_modules/b/c.js', undefined, 'b:c'],
    ['C:\\app\\src\\a.js', 'C:\\app', 'src:a'],
    ['node:internal/modules/run_main', undefined, 'run_main'],
    ['node:fs', undefined, 'node:fs'],
    ['<anonymous>', undefined, undefined],
    ['native', undefined, undefined],
    [undefined, undefined, undefined],
  ])('%s (base %s) -> %s', (filename, base, expected) => {
    expect(moduleFromFilename(filename, base)).toBe(expected);
  });
});

describe('toRelativeFilename', () => {
  it.each([
    ['/srv/app/src/a.js', '/srv/app', 'src/a.js'],
    ['/srv/app/src/a.js', '/srv/app/', 'src/a.js'],
    ['/srv/application/a.js', '/srv/app', '/srv/application/a.js'],
    ['/usr/lib/node/x.js', '/srv/app', '/usr/lib/node/x.js'],
    ['C:\\app\\src\\a.js', 'C:\\app', 'src/a.js'],
    ['c:\\App\\src\\a.js', 'C:\\app', 'src/a.js'],
    ['D:\\other\\a.js', 'C:\\app', 'D:/other/a.js'],
    ['node:fs', '/srv/app', 'node:fs'],
    ['<anonymous>', '/srv/app', '<anonymous>'],
    ['./x.js', '/srv/app', './x.js'],
    ['/a.js', '/', 'a.js'],
  ])('%s (cwd %s) -> %s', (filename, cwd, expected) => {
    expect(toRelativeFilename(filename, cwd)).toBe(expected);
  });

  it('rewrites every frame of a list without changing the input', () => {
    const frames = [{ filename: '/srv/app/a.js', lineno: 1 }, { function: 'x' }];
    const items = [
      { type: 'Error', value: 'x', stacktrace: { type: 'raw' as const, frames } },
      { type: 'E', value: 'y' },
    ];
    const out = relativeExceptionList(items, '/srv/app');
    expect(out[0]?.stacktrace?.frames).toEqual([{ filename: 'a.js', lineno: 1 }, { function: 'x' }]);
    expect(out[1]).toBe(items[1]);
    expect(frames[0]?.filename).toBe('/srv/app/a.js');
  });
});
