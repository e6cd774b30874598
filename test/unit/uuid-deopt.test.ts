import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

/**
 * Node's first HTTP exchange in a process changes `Uint8Array`'s prototype map, and V8 then discards every optimised
 * function that reads a `Uint8Array`. The generator is compiled before that moment whenever a process captures
 * before its first request (a CLI, a serverless handler), so it must not read one. The child compiles the generator
 * and a `Uint8Array` reader, makes one HTTP exchange, and reports what `--trace-deopt` discarded: the reader shows
 * the runtime still behaves that way (else there is nothing to assert), and the generator must not be among them.
 */
const child = `
  import { createServer, get } from 'node:http';
  import { randomFillSync } from 'node:crypto';
  import { UuidV7Generator } from './src/utils/uuid.ts';
  const generator = new UuidV7Generator(randomFillSync);
  const bytes = new Uint8Array(4096);
  function readsUint8Array(i) { return bytes[i & 4095] + bytes[(i + 1) & 4095]; }
  let sum = 0;
  for (let i = 0; i < 300_000; i++) sum += generator.next(1_700_000_000_000 + (i >> 8)).length + readsUint8Array(i);
  const server = createServer((req, res) => res.end('ok'));
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  console.log('MARK exchange');
  await new Promise((resolve) => get('http://127.0.0.1:' + server.address().port + '/', (res) => { res.resume(); res.on('end', resolve); }));
  console.log('MARK done', sum > 0);
  server.close();
`;

describe('UuidV7Generator in a fresh Node process', () => {
  it('keeps its optimised code through the first HTTP exchange', (context) => {
    const out = spawnSync(
      process.execPath,
      ['--trace-opt', '--trace-deopt', '--import', 'tsx', '--input-type=module', '-e', child],
      { cwd: new URL('../..', import.meta.url).pathname, encoding: 'utf8', timeout: 30_000 },
    );
    expect(out.status).toBe(0);
    const marker = out.stdout.indexOf('MARK exchange');
    const beforeExchange = out.stdout.slice(0, marker);
    const afterExchange = out.stdout.slice(marker);
    expect(afterExchange).toContain('MARK done true');
    // Both functions were optimised before the exchange, or there would be nothing to discard.
    expect(beforeExchange).toMatch(/completed optimizing [^\n]*JSFunction next /);
    expect(beforeExchange).toMatch(/completed optimizing [^\n]*JSFunction readsUint8Array /);
    // Discarded code: lazy deoptimisations ("marking dependent code … SharedFunctionInfo name") and eager ones
    // ("bailout … deoptimizing … <JSFunction name …").
    const discarded = [
      ...afterExchange.matchAll(/marking dependent code [^\n]*SharedFunctionInfo ([\w.]+)>/g),
      ...afterExchange.matchAll(/bailout [^\n]*deoptimizing [^\n]*?<JSFunction ([\w.]+) /g),
    ].map((m) => m[1]);
    // The control: a runtime that no longer discards Uint8Array readers leaves nothing here to check.
    if (!discarded.includes('readsUint8Array')) context.skip();
    expect(discarded.filter((name) => name?.endsWith('next'))).toEqual([]);
  }, 40_000);
});
