import { describe, expect, it } from 'vitest';
import {
  errorStatusCode,
  MAX_CONTEXT_VALUE_LENGTH,
  requestContext,
  sanitizeContextValue,
  targetUrl,
} from '../../src/integrations/request-context.js';

describe('request context extraction', () => {
  it('strips control characters, trims and caps values', () => {
    expect(sanitizeContextValue('a\u0000b\u0007c\u001b[31m\u007f\u0085d\r\n')).toBe('abc[31md');
    expect(sanitizeContextValue('x'.repeat(5000))).toHaveLength(MAX_CONTEXT_VALUE_LENGTH);
    expect(sanitizeContextValue(' \u0001 ')).toBeUndefined();
    expect(sanitizeContextValue(42)).toBeUndefined();
  });

  it('reads ids from the PostHog headers and the ip from x-forwarded-for, else the socket', () => {
    const headers: Record<string, string> = {
      'x-posthog-distinct-id': ' user\u0000-1 ',
      'x-posthog-session-id': 's1',
      'user-agent': 'ua',
    };
    const context = requestContext({
      method: 'GET',
      url: 'http://h/p?q=1',
      path: '/p',
      header: (name) => headers[name],
      socketAddress: '127.0.0.1',
    });
    expect(context).toEqual({
      distinctId: 'user-1',
      sessionId: 's1',
      properties: {
        $current_url: 'http://h/p?q=1',
        $request_method: 'GET',
        $request_path: '/p',
        $user_agent: 'ua',
        $ip: '127.0.0.1',
      },
    });
    /** The context of a request with only `headers`, from `socketAddress`. */
    const bare = (socketAddress: string | undefined) =>
      requestContext({
        method: 'GET',
        url: undefined,
        path: undefined,
        header: (name) => headers[name],
        socketAddress,
      });
    headers['x-forwarded-for'] = ' 198.51.100.7 , 10.0.0.1';
    headers['x-posthog-distinct-id'] = '\u0007';
    const proxied = bare(undefined);
    expect(proxied.properties?.$ip).toBe('198.51.100.7');
    expect(proxied.distinctId).toBeUndefined();
    // An empty first entry is no address: the socket's is used, as without the header.
    headers['x-forwarded-for'] = ' , 9.9.9.9';
    expect(bare('10.1.1.1').properties?.$ip).toBe('10.1.1.1');
  });

  it('reads an absolute-form request target as the URL, not as a path under the Host header', () => {
    expect(targetUrl('/orders/42?x=1', 'https', 'shop.example')).toEqual({
      url: 'https://shop.example/orders/42?x=1',
      path: '/orders/42',
    });
    expect(targetUrl('http://example.com/ctx?a=1', 'http', 'localhost')).toEqual({
      url: 'http://example.com/ctx?a=1',
      path: '/ctx',
    });
    expect(targetUrl('/p', undefined, undefined)).toEqual({ url: '/p', path: '/p' });
  });

  it('derives the status an error leads to', () => {
    expect(errorStatusCode(new Error('x'), 200)).toBe(500);
    expect(errorStatusCode({ status: 404 }, 200)).toBe(404);
    expect(errorStatusCode({ statusCode: 503 }, 200)).toBe(503);
    expect(errorStatusCode({ status: 200 }, 502)).toBe(502);
    expect(errorStatusCode('text', undefined)).toBe(500);
  });
});
