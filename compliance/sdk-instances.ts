import type { CaptureMode } from '../src/index.js';
import { HttpError } from './http-util.js';
import type { InitRequest } from './requests.js';
import { SdkInstance } from './sdk-instance.js';

/**
 * The SDK instances, one per harness `test_id` (`undefined` is the instance used when the harness sends no
 * test id), so parallel tests never share a queue, counters or mock-server traffic.
 */
export class SdkInstances {
  private readonly instances = new Map<string | undefined, SdkInstance>();

  constructor(private readonly captureMode: CaptureMode) {}

  /** Creates the instance for `testId`, replacing (and stopping) any earlier one. */
  async init(testId: string | undefined, request: InitRequest): Promise<SdkInstance> {
    // Built first: an unusable configuration throws here and leaves the previous instance untouched.
    const instance = new SdkInstance(testId, request, this.captureMode);
    const previous = this.instances.get(testId);
    this.instances.set(testId, instance);
    await previous?.close();
    return instance;
  }

  /** The instance for `testId`; a 400 when `/init` has not been called for it. */
  get(testId: string | undefined): SdkInstance {
    const instance = this.instances.get(testId);
    if (!instance) {
      const which = testId === undefined ? 'the default instance' : `test_id "${testId}"`;
      throw new HttpError(400, `SDK is not initialized for ${which}; call /init first`);
    }
    return instance;
  }

  /** Stops and forgets the instance for `testId`, if any. */
  async reset(testId: string | undefined): Promise<void> {
    const instance = this.instances.get(testId);
    this.instances.delete(testId);
    await instance?.close();
  }

  async closeAll(): Promise<void> {
    const all = [...this.instances.values()];
    this.instances.clear();
    await Promise.all(all.map((instance) => instance.close()));
  }
}
