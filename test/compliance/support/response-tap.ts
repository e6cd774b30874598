import { Agent, createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A response as the SDK received it. */
export interface TappedResponse {
  readonly status: number;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The header linking a request the mock recorded to the response the tap saw. */
export const TAP_HEADER = 'x-compliance-tap-seq';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

function flatten(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/**
 * A recording pass-through proxy in front of the mock server. LocalPostHog records requests but not the
 * answers it gave, and several contract assertions are about those answers (Retry-After, the v1 results map,
 * the echoed request id), so the SDK talks to the mock through this tap, which keeps each response.
 */
export class ResponseTap {
  private readonly responses = new Map<number, TappedResponse>();
  private nextSeq = 0;
  private readonly agent = new Agent({ keepAlive: false });
  private readonly server = createServer((req, res) => {
    const seq = this.nextSeq++;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers: Record<string, string> = { ...flatten(req.headers), [TAP_HEADER]: String(seq) };
      delete headers.host;
      headers['content-length'] = String(body.length);
      const upstream = httpRequest(
        `${this.target}${req.url ?? '/'}`,
        { method: req.method ?? 'GET', headers, agent: this.agent },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const text = Buffer.concat(parts);
            const answerHeaders = flatten(answer.headers);
            this.responses.set(seq, {
              status: answer.statusCode ?? 0,
              headers: answerHeaders,
              body: text.toString('utf8'),
            });
            const forwarded: Record<string, string> = {};
            for (const [name, value] of Object.entries(answerHeaders))
              if (!HOP_BY_HOP.has(name)) forwarded[name] = value;
            forwarded['content-length'] = String(text.length);
            res.writeHead(answer.statusCode ?? 502, forwarded);
            res.end(text);
          });
          answer.on('error', () => res.destroy());
        },
      );
      // The mock dropped the connection (or is gone): the SDK must see a network error too.
      upstream.on('error', () => res.destroy());
      upstream.end(body);
    });
  });

  private constructor(private readonly target: string) {}

  static async start(target: string): Promise<ResponseTap> {
    const tap = new ResponseTap(target);
    await new Promise<void>((resolve) => tap.server.listen(0, '127.0.0.1', resolve));
    return tap;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The response to the request that carried `seq` in {@link TAP_HEADER}. */
  responseFor(seq: string | undefined): TappedResponse | undefined {
    return seq === undefined ? undefined : this.responses.get(Number(seq));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    this.agent.destroy();
  }
}
