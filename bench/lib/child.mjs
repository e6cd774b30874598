/**
 * Entry point of every measurement process: `node --expose-gc lib/child.mjs` (forked by lib/spawn.mjs)
 * receives `{ scenario, args }` over IPC, runs `scenarios/<scenario>.mjs`'s `run(args)` and sends back
 * `{ ok, result }` or `{ ok: false, error }`. One process per scenario, SDK and repetition, so heap and JIT
 * state never carry over from one SDK to the other.
 */
process.once('message', async ({ scenario, args }) => {
  let message;
  try {
    const mod = await import(new URL(`../scenarios/${scenario}.mjs`, import.meta.url).href);
    message = { ok: true, result: await mod.run(args) };
  } catch (error) {
    message = { ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
  process.send(message, () => process.exit(0));
});
