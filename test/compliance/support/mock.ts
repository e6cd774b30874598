import type { ReceivedRequest, RouteGroup, ScriptedResponse } from '../../../src/testing/index.js';
import { type LocalPostHog, startLocalPostHog } from '../../../src/testing/index.js';
import { ResponseTap, TAP_HEADER, type TappedResponse } from './response-tap.js';

/** A request the mock received, with the answer the SDK got. */
export interface ObservedRequest extends ReceivedRequest {
  readonly response: TappedResponse | undefined;
}

// Feature-flag traffic is not capture traffic; request-count assertions are about capture requests only.
const FLAG_ROUTES = new Set(['flags', 'definitions', 'remote_config']);

/** One contract test's mock server: a fresh LocalPostHog, reached through a {@link ResponseTap}. */
export class ComplianceMock {
  private constructor(
    private readonly server: LocalPostHog,
    private readonly tap: ResponseTap,
  ) {}

  static async start(): Promise<ComplianceMock> {
    const server = await startLocalPostHog();
    const tap = await ResponseTap.start(server.url);
    return new ComplianceMock(server, tap);
  }

  /** The host given to the SDK. */
  get url(): string {
    return this.tap.url;
  }

  /** Every request, in arrival order, with its response. */
  requests(): ObservedRequest[] {
    return this.server.requests.map((request) => ({
      ...request,
      response: this.tap.responseFor(request.headers[TAP_HEADER]),
    }));
  }

  /** Capture-path requests (everything except feature-flag routes), in arrival order. */
  captureRequests(): ObservedRequest[] {
    return this.requests().filter((request) => !FLAG_ROUTES.has(request.route));
  }

  /** `POST /flags` requests (remote flag evaluation), in arrival order. */
  flagsRequests(): ObservedRequest[] {
    return this.requests().filter((request) => request.route === 'flags');
  }

  /** Queues answers for the next requests of `group` (`capture`: every capture endpoint; `flags`: /flags). */
  script(group: RouteGroup, responses: readonly ScriptedResponse[]): void {
    this.server.script(group, ...responses);
  }

  async stop(): Promise<void> {
    await this.tap.stop();
    await this.server.stop();
  }
}
