import type { EventMessage } from '../../../src/api/messages.js';
import {
  type FeatureFlagOptions,
  FeatureFlagsController,
  type FlagBaseOptions,
  type FlagCalledMeta,
  resolveFlagOptions,
} from '../../../src/flags/client/index.js';
import { SdkLogger } from '../../../src/logging/sdk-logger.js';
import { createNodePlatform } from '../../../src/platform/node.js';
import type { Platform, TimerHandle } from '../../../src/platform/platform.js';
import {
  type LocalPostHog,
  type LocalPostHogOptions,
  startLocalPostHog,
} from '../../../src/testing/server/index.js';

/** A realistic flag used across tests. */
export function realisticFlag(i: number): Record<string, unknown> {
  return {
    id: i,
    key: `flag-${i}`,
    active: true,
    filters: {
      groups: [
        {
          properties: [
            { key: 'email', value: 'example.com', operator: 'icontains', type: 'person' },
            { key: 'plan', value: ['pro', 'enterprise'], operator: 'exact', type: 'person' },
            { key: 'app_version', value: '2.1.0', operator: 'semver_gte', type: 'person' },
          ],
          rollout_percentage: 50,
        },
        { properties: [{ key: 'country', value: 'US', type: 'person' }], rollout_percentage: 20 },
      ],
      ...(i % 3 === 0
        ? {
            multivariate: {
              variants: [
                { key: 'a', rollout_percentage: 50 },
                { key: 'b', rollout_percentage: 50 },
              ],
            },
            payloads: { a: '{"color":"red"}' },
          }
        : {}),
    },
  };
}

/** Definitions used by most tests. */
export const DEFINITIONS = {
  flags: [
    {
      id: 1,
      key: 'on',
      active: true,
      filters: { groups: [{ properties: [], rollout_percentage: 100 }], payloads: { true: '{"a":1}' } },
    },
    { id: 2, key: 'off', active: false, filters: { groups: [{ properties: [], rollout_percentage: 100 }] } },
    {
      id: 3,
      key: 'multi',
      active: true,
      has_experiment: true,
      filters: {
        groups: [{ properties: [], rollout_percentage: 100, variant: 'second' }],
        multivariate: {
          variants: [
            { key: 'first', rollout_percentage: 50 },
            { key: 'second', rollout_percentage: 50 },
          ],
        },
        payloads: { second: '"two"' },
      },
    },
    {
      id: 4,
      key: 'needs-plan',
      active: true,
      filters: {
        groups: [{ properties: [{ key: 'plan', value: 'pro', type: 'person' }], rollout_percentage: 100 }],
      },
    },
    {
      id: 5,
      key: 'static-cohort',
      active: true,
      filters: {
        groups: [{ properties: [{ key: 'id', value: 99, type: 'cohort' }], rollout_percentage: 100 }],
      },
    },
    {
      id: 6,
      key: 'company-flag',
      active: true,
      filters: { aggregation_group_type_index: 0, groups: [{ properties: [], rollout_percentage: 100 }] },
    },
  ],
  group_type_mapping: { '0': 'company' },
  cohorts: {},
};

/** Timers the test fires by hand. */
export class ManualTimers {
  readonly pending = new Map<number, { cb: () => void; ms: number }>();
  private next = 1;
  readonly delays: number[] = [];

  /** Takes over timers for which `manage(ms)` is true; the others run for real. */
  wrap(platform: Platform, manage: (ms: number) => boolean = () => true): Platform {
    return {
      ...platform,
      setTimer: (cb, ms) => {
        if (!manage(ms)) return { real: platform.setTimer(cb, ms) } as unknown as TimerHandle;
        const id = this.next++;
        this.pending.set(id, { cb, ms });
        this.delays.push(ms);
        return { id } as unknown as TimerHandle;
      },
      clearTimer: (handle) => {
        const h = handle as unknown as { id?: number; real?: TimerHandle };
        if (h.real !== undefined) platform.clearTimer(h.real);
        else if (h.id !== undefined) this.pending.delete(h.id);
      },
    };
  }

  /** Fires every timer of at least `minMs` (poll timers; request timeouts are shorter or longer as set). */
  fire(filter: (ms: number) => boolean = () => true): number {
    let n = 0;
    for (const [id, t] of [...this.pending]) {
      if (!filter(t.ms)) continue;
      this.pending.delete(id);
      t.cb();
      n++;
    }
    return n;
  }
}

/** Everything a test needs: a server, a controller and what the controller emitted. */
export interface Harness {
  server: LocalPostHog;
  controller: FeatureFlagsController;
  captured: { message: EventMessage; meta: FlagCalledMeta }[];
  errors: Error[];
  loaded: number[];
  logs: { level: string; message: string }[];
  platform: Platform;
  close(): Promise<void>;
}

/** Options of {@link setup}. */
export interface SetupOptions {
  server?: LocalPostHogOptions;
  options?: FeatureFlagOptions & FlagBaseOptions;
  secretKey?: string | undefined;
  apiKey?: string;
  platform?: (p: Platform) => Platform;
  start?: boolean;
  debug?: boolean;
}

const open: Harness[] = [];

/** Starts a local server and a controller pointed at it. */
export async function setup(opts: SetupOptions = {}): Promise<Harness> {
  const server = await startLocalPostHog(opts.server ?? {});
  const base = createNodePlatform();
  const platform = opts.platform ? opts.platform(base) : base;
  const captured: Harness['captured'] = [];
  const errors: Error[] = [];
  const loaded: number[] = [];
  const logs: Harness['logs'] = [];
  const sink = (level: string) => (message: string) => void logs.push({ level, message });
  const logger = new SdkLogger(
    { debug: sink('debug'), info: sink('info'), warn: sink('warn'), error: sink('error') },
    Date.now,
  );
  logger.debugEnabled = opts.debug ?? false;
  const controller = new FeatureFlagsController({
    apiKey: opts.apiKey ?? 'phc_test',
    host: server.url,
    secretKey: opts.secretKey,
    options: resolveFlagOptions(opts.options),
    platform,
    exchange: base.exchange,
    logger,
    emit: (event, payload) => {
      if (event === 'error') errors.push(payload as Error);
      else loaded.push(payload as number);
    },
    capture: (message, meta) => void captured.push({ message, meta }),
    track: (p) => p,
  });
  if (opts.start !== false) controller.start();
  const harness: Harness = {
    server,
    controller,
    captured,
    errors,
    loaded,
    logs,
    platform,
    async close() {
      await controller.shutdown(200);
      await server.stop();
      base.close();
    },
  };
  open.push(harness);
  return harness;
}

/** Closes every harness opened by {@link setup}. */
export async function closeAll(): Promise<void> {
  await Promise.all(open.splice(0).map((h) => h.close()));
}

/** The body of the n-th `/flags` request. */
export function flagsBodies(server: LocalPostHog): Record<string, unknown>[] {
  return server.requests.filter((r) => r.route === 'flags').map((r) => r.body as Record<string, unknown>);
}
