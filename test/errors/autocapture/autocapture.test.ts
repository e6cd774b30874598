import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExceptionItem } from '../../../src/index.js';
import { type LocalPostHog, startLocalPostHog } from '../../../src/testing/index.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let server: LocalPostHog;
beforeAll(async () => {
  server = await startLocalPostHog();
});
afterAll(async () => {
  await server.stop();
});
beforeEach(() => server.clear());

function run(
  scenario: string,
  options: { autocapture?: boolean | 'option'; nodeFlags?: string[] } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', FIXTURE], {
      cwd: ROOT,
      env: {
        ...process.env,
        NODE_OPTIONS: '',
        SCENARIO: scenario,
        AUTOCAPTURE: options.autocapture === false ? '0' : options.autocapture === 'option' ? 'option' : '1',
        POSTHOG_HOST: server.url,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr: stderr.replace(/\(node:\d+\)/g, '(node:PID)') });
    });
  });
}

function exceptions(): Array<{ root: ExceptionItem | undefined; properties: Record<string, unknown> }> {
  return server.eventsNamed('$exception').map((event) => ({
    root: (event.properties?.$exception_list as ExceptionItem[] | undefined)?.[0],
    properties: event.properties ?? {},
  }));
}

/** Node's report of a fatal error without the source excerpt it quotes first (the only part that differs). */
function fatalReport(stderr: string): string {
  const start = stderr.search(/^\w*(?:Error|Rejection)\b|^\[/m);
  return start < 0 ? stderr : stderr.slice(start);
}

describe('exception autocapture in a child process', () => {
  it('delivers a fatal uncaught exception; the child exits as Node would, with its message', async () => {
    const plain = await run('uncaught', { autocapture: false });
    const captured = await run('uncaught');
    expect(plain.code).toBe(1);
    expect(captured.code).toBe(1);
    expect(fatalReport(captured.stderr)).toBe(fatalReport(plain.stderr));
    expect(captured.stderr).toContain('Error: fatal boom\n    at Timeout.failInTimer');
    expect(captured.stderr).toMatch(/Node\.js v\d+/);
    const [event] = exceptions();
    expect(event?.root).toMatchObject({
      type: 'Error',
      value: 'fatal boom',
      mechanism: { type: 'onuncaughtexception', handled: false },
    });
  });

  it('enableExceptionAutocapture: true installs it from the client options', async () => {
    const captured = await run('uncaught', { autocapture: 'option' });
    expect(captured.code).toBe(1);
    expect(captured.stderr).toContain('Error: fatal boom');
    expect(exceptions()[0]?.root).toMatchObject({
      value: 'fatal boom',
      mechanism: { type: 'onuncaughtexception' },
    });
  });

  it('bounds the flush: with a server that never answers the child still exits as Node would', async () => {
    server.script('capture', { hang: true });
    const started = Date.now();
    const captured = await run('uncaught');
    const elapsed = Date.now() - started;
    expect(captured.code).toBe(1);
    expect(captured.stderr).toContain('Error: fatal boom');
    expect(elapsed).toBeGreaterThanOrEqual(2900); // the fixture's flushTimeoutMs is 3000
    expect(elapsed).toBeLessThan(10_000);
    server.clearScripts();
  });

  it('default (throw) mode: a rejection is delivered and still crashes with code 1', async () => {
    const plain = await run('rejection', { autocapture: false });
    const captured = await run('rejection');
    expect([plain.code, captured.code]).toEqual([1, 1]);
    expect(captured.stdout).not.toContain('still alive');
    expect(fatalReport(captured.stderr)).toBe(fatalReport(plain.stderr));
    expect(exceptions().map((event) => [event.root?.value, event.root?.mechanism?.type])).toEqual([
      ['rejected boom', 'onunhandledrejection'],
    ]);
  });

  it("default (throw) mode: a non-Error rejection keeps Node's ERR_UNHANDLED_REJECTION report", async () => {
    const plain = await run('rejection-string', { autocapture: false });
    const captured = await run('rejection-string');
    expect([plain.code, captured.code]).toEqual([1, 1]);
    expect(fatalReport(captured.stderr)).toBe(fatalReport(plain.stderr));
    expect(captured.stderr).toContain("code: 'ERR_UNHANDLED_REJECTION'");
    expect(exceptions()[0]?.root?.value).toContain('plain reason');
  });

  it('a non-Error rejection gets no synthetic stack: the call site would be the SDK listener, not the app', async () => {
    const captured = await run('rejection-string', { nodeFlags: ['--unhandled-rejections=warn'] });
    expect(captured.code).toBe(0);
    const [event] = exceptions();
    expect(event?.root).toMatchObject({ value: 'plain reason', mechanism: { synthetic: true } });
    expect(event?.root?.stacktrace).toBeUndefined();
  });

  it('--unhandled-rejections=strict: delivered, exit code 1', async () => {
    const flags = ['--unhandled-rejections=strict'];
    const plain = await run('rejection', { autocapture: false, nodeFlags: flags });
    const captured = await run('rejection', { nodeFlags: flags });
    expect([plain.code, captured.code]).toEqual([1, 1]);
    expect(fatalReport(captured.stderr)).toBe(fatalReport(plain.stderr));
    // Node prints no rejection warning in strict mode; neither may the SDK's listener make it print one.
    expect(plain.stderr).not.toContain('UnhandledPromiseRejectionWarning');
    expect(captured.stderr).not.toContain('UnhandledPromiseRejectionWarning');
    expect(exceptions().map((event) => event.root?.mechanism?.type)).toEqual(['onunhandledrejection']);
  });

  it('--unhandled-rejections=warn: delivered, the process lives on and Node prints its warning', async () => {
    const flags = ['--unhandled-rejections=warn'];
    const plain = await run('rejection', { autocapture: false, nodeFlags: flags });
    const captured = await run('rejection', { nodeFlags: flags });
    expect([plain.code, captured.code]).toEqual([0, 0]);
    expect(captured.stdout).toContain('still alive');
    expect(captured.stderr).toContain('UnhandledPromiseRejectionWarning');
    expect(captured.stderr).toBe(plain.stderr);
    expect(exceptions().map((event) => event.root?.value)).toEqual(['rejected boom']);
  });

  it('--unhandled-rejections=none: delivered, silent, the process lives on', async () => {
    const flags = ['--unhandled-rejections=none'];
    const captured = await run('rejection', { nodeFlags: flags });
    expect(captured.code).toBe(0);
    expect(captured.stdout).toContain('still alive');
    expect(captured.stderr).toBe('');
    expect(exceptions().map((event) => event.root?.value)).toEqual(['rejected boom']);
  });

  it('--unhandled-rejections=warn-with-error-code: delivered, Node still warns and sets exit code 1', async () => {
    const flags = ['--unhandled-rejections=warn-with-error-code'];
    const plain = await run('rejection', { autocapture: false, nodeFlags: flags });
    const captured = await run('rejection', { nodeFlags: flags });
    expect([plain.code, captured.code]).toEqual([1, 1]);
    expect(captured.stdout).toContain('still alive');
    expect(captured.stderr).toBe(plain.stderr);
    const [event] = exceptions();
    expect(event?.root).toMatchObject({ type: 'Error', value: 'rejected boom' });
    const frames = event?.root?.stacktrace?.frames ?? [];
    // Rebuilt from the stack in Node's warning: the frames still point at where the Error was made.
    const line = readFileSync(FIXTURE, 'utf8')
      .split('\n')
      .findIndex((text) => text.includes("Error('rejected boom')"));
    expect(frames.at(-1)).toMatchObject({ lineno: line + 1, in_app: true });
    expect(frames.at(-1)?.filename).toContain('child.ts');
  });

  it('--unhandled-rejections=warn-with-error-code with an app listener: as Node, and captured', async () => {
    const flags = ['--unhandled-rejections=warn-with-error-code'];
    const plain = await run('app-rejection-listener', { autocapture: false, nodeFlags: flags });
    const captured = await run('app-rejection-listener', { nodeFlags: flags });
    expect([plain.code, captured.code]).toEqual([0, 0]);
    expect(captured.stdout).toBe(plain.stdout);
    expect(exceptions().map((event) => event.root?.value)).toEqual(['observed rejection']);
  });

  it("an application's uncaughtException listener keeps the process alive, as in Node", async () => {
    const captured = await run('app-uncaught-listener');
    expect(captured.code).toBe(0);
    expect(captured.stdout).toBe('app handled: survivable boom\nstill alive\n');
    expect(exceptions().map((event) => event.root?.value)).toEqual(['survivable boom']);
  });

  it('throw mode with an application unhandledRejection listener: no crash, still captured', async () => {
    const plain = await run('app-rejection-listener', { autocapture: false });
    const captured = await run('app-rejection-listener');
    expect([plain.code, captured.code]).toEqual([0, 0]);
    expect(captured.stdout).toBe(plain.stdout);
    expect(captured.stdout).toContain('app saw: observed rejection');
    expect(exceptions().map((event) => event.root?.mechanism?.type)).toEqual(['onunhandledrejection']);
  });

  it('skips AbortError rejections (warn mode keeps the process up)', async () => {
    const captured = await run('abort', { nodeFlags: ['--unhandled-rejections=warn'] });
    expect(captured.code).toBe(0);
    expect(exceptions()).toEqual([]);
  });

  it('rate-limits a flood per exception type', async () => {
    const captured = await run('flood');
    expect(captured.code).toBe(0);
    const byType = new Map<string, number>();
    for (const event of exceptions()) {
      const type = event.root?.type ?? '';
      byType.set(type, (byType.get(type) ?? 0) + 1);
    }
    expect(Object.fromEntries(byType)).toEqual({ TypeError: 10, RangeError: 3 });
  });
});
