/** Types of event.mjs, for the TypeScript micro-benchmarks. */
export declare const EVENT_NAME: string;
export declare const API_KEY: string;
export declare function eventAt(i: number): {
  distinctId: string;
  event: string;
  properties: Record<string, unknown>;
};
export declare function bareEventJson(i: number): string;
