/** Node's `--unhandled-rejections` modes; `throw` is the default since Node 15. */
export type UnhandledRejectionsMode = 'throw' | 'strict' | 'warn' | 'none' | 'warn-with-error-code';

const MODES: readonly UnhandledRejectionsMode[] = ['throw', 'strict', 'warn', 'none', 'warn-with-error-code'];
const FLAG = /^--unhandled-rejections(?:=(.*))?$/;

/**
 * The effective `--unhandled-rejections` mode, read as Node does: command-line flags (`execArgv`) win over
 * `NODE_OPTIONS`, and the last occurrence wins within each.
 */
export function unhandledRejectionsMode(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string | undefined = process.env.NODE_OPTIONS,
): UnhandledRejectionsMode {
  return lastMode(execArgv) ?? lastMode(nodeOptions?.split(/\s+/) ?? []) ?? 'throw';
}

function lastMode(args: readonly string[]): UnhandledRejectionsMode | undefined {
  let found: UnhandledRejectionsMode | undefined;
  args.forEach((arg, index) => {
    const match = FLAG.exec(arg);
    if (!match) return;
    const value = match[1] ?? args[index + 1];
    if (MODES.includes(value as UnhandledRejectionsMode)) found = value as UnhandledRejectionsMode;
  });
  return found;
}
