import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url));

/**
 * Runs one scenario in a fresh `node --expose-gc` process and resolves with its result. `nodeFlags` are added to
 * that process's flags (bench:threads runs some contenders with V8 options).
 */
export function runInChild(scenario, args, { timeoutMs = 300_000, nodeFlags = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, [], {
      execArgv: ['--expose-gc', ...nodeFlags],
      // stderr is kept, not shown: posthog-node logs every failed flush there during the fault run.
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    let stderrLines = 0;
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => {
      stderrLines += text.split('\n').length - 1;
      stderr = (stderr + text).slice(-4000);
    });
    const withLog = (error) => {
      if (stderr) error.message += `\n--- child stderr (last 4000 chars) ---\n${stderr}`;
      return error;
    };
    let settled = false;
    const finish = (fn, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(value);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish(
        reject,
        withLog(new Error(`${scenario} ${JSON.stringify(args)} timed out after ${timeoutMs} ms`)),
      );
    }, timeoutMs);
    let reply;
    child.once('message', (msg) => {
      reply = msg;
    });
    // Settle on exit, once stderr is fully read, so `stderrLines` is complete.
    child.once('close', (code, signal) => {
      if (reply?.ok) finish(resolve, { ...reply.result, stderrLines });
      else if (reply)
        finish(reject, withLog(new Error(`${scenario} ${JSON.stringify(args)} failed:\n${reply.error}`)));
      else
        finish(
          reject,
          withLog(
            new Error(`${scenario} ${JSON.stringify(args)} exited (${code ?? signal}) without a result`),
          ),
        );
    });
    child.send({ scenario, args });
  });
}
