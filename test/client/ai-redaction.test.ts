import { describe, expect, it } from 'vitest';
import { REDACTED_BASE64, redactAiMedia } from '../../src/client/ai-redaction.js';
import { useLocalServer } from '../helpers/local-server.js';

const PNG = `data:image/png;base64,${'iVBORw0KGgo'.repeat(10)}`;
/** An inline image larger than the 1 MB PostHog accepts for a whole event. */
const LARGE_JPEG = `data:image/jpeg;base64,${'/9j/4AAQ'.repeat(200_000)}`;
const RAW = 'UklGRiQAAABXQVZFZm10IBAAAAABAAEA'.repeat(4);

/** Prompts in the shapes the providers use, each with inline media next to text and URLs that must stay. */
function aiProperties() {
  return {
    $ai_model: 'gpt-5',
    $ai_input: [
      {
        role: 'user',
        content: [
          { type: 'text', text: 'what is in these?' },
          { type: 'image_url', image_url: { url: PNG } }, // OpenAI chat completions
          { type: 'input_image', image_url: LARGE_JPEG }, // OpenAI responses
          { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
          { type: 'image', source: { type: 'base64', media_type: 'image/png', data: RAW } }, // Anthropic
          { type: 'input_audio', input_audio: { data: RAW, format: 'wav' } }, // OpenAI audio
        ],
      },
      {
        role: 'user',
        parts: [{ inlineData: { mimeType: 'image/png', data: RAW } }, { text: 'data: not a url' }],
      }, // Gemini
    ],
    $ai_output_choices: [{ role: 'assistant', content: PNG }],
    // The AI SDK's parts, and text or URLs where raw media could be, which stay.
    $ai_input_state: [
      { type: 'file', mediaType: 'application/pdf', data: RAW },
      { type: 'image', image: RAW },
      { type: 'image', image: 'https://example.com/cat.png' },
      { mimeType: 'text/plain', data: 'plain text, not base64' },
      { format: 'json', data: '{"a":1}' },
    ],
    // Not a prompt or completion: left as it is.
    $ai_trace_id: PNG,
  };
}

describe('redactAiMedia', () => {
  it('replaces base64 media in prompts and completions, keeps text and URLs, and copies what it changes', () => {
    const properties = aiProperties();
    const before = JSON.stringify(properties);
    const message = { distinctId: 'u', event: '$ai_generation', properties };
    const out = redactAiMedia(message) as { properties: Record<string, unknown> };
    expect(JSON.stringify(properties)).toBe(before); // the caller's objects are untouched
    const input = out.properties.$ai_input as { content?: unknown[]; parts?: unknown[] }[];
    expect(input[0]?.content).toEqual([
      { type: 'text', text: 'what is in these?' },
      { type: 'image_url', image_url: { url: REDACTED_BASE64 } },
      { type: 'input_image', image_url: REDACTED_BASE64 },
      { type: 'image_url', image_url: { url: 'https://example.com/cat.png' } },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: REDACTED_BASE64 } },
      { type: 'input_audio', input_audio: { data: REDACTED_BASE64, format: 'wav' } },
    ]);
    expect(input[1]?.parts).toEqual([
      { inlineData: { mimeType: 'image/png', data: REDACTED_BASE64 } },
      { text: 'data: not a url' },
    ]);
    expect(out.properties.$ai_output_choices).toEqual([{ role: 'assistant', content: REDACTED_BASE64 }]);
    expect(out.properties.$ai_trace_id).toBe(PNG);
    expect(out.properties.$ai_input_state).toEqual([
      { type: 'file', mediaType: 'application/pdf', data: REDACTED_BASE64 },
      { type: 'image', image: REDACTED_BASE64 },
      { type: 'image', image: 'https://example.com/cat.png' },
      { mimeType: 'text/plain', data: 'plain text, not base64' },
      { format: 'json', data: '{"a":1}' },
    ]);
  });

  it('gives the message itself back when nothing needs redacting or the properties cannot be read', () => {
    const plain = {
      distinctId: 'u',
      event: '$ai_generation',
      properties: { $ai_input: [{ content: 'hi' }] },
    };
    expect(redactAiMedia(plain)).toBe(plain);
    const hostile = {
      distinctId: 'u',
      event: '$ai_generation',
      properties: Object.defineProperty({}, '$ai_input', {
        enumerable: true,
        get() {
          throw new Error('no');
        },
      }),
    };
    expect(redactAiMedia(hostile)).toBe(hostile);
    const cyclic: Record<string, unknown> = { url: PNG };
    cyclic.self = cyclic;
    cyclic.other = cyclic;
    const out = redactAiMedia({ distinctId: 'u', event: 'e', properties: { $ai_input: cyclic } });
    // Redacted, and the cycle written as the normalisation writes one, not a way back to the unredacted original.
    expect((out.properties as { $ai_input: unknown }).$ai_input).toEqual({
      url: REDACTED_BASE64,
      self: '[Circular]',
      other: '[Circular]',
    });
  });

  it('visits a shared object once, and stays fast on many references, large arrays and large strings', () => {
    // 30 levels of one object referenced twice: 2^30 paths, one object per level.
    let shared: Record<string, unknown> = { url: PNG };
    for (let i = 0; i < 30; i++) shared = { a: shared, b: shared };
    const big = `data:text/plain;base64,${'QUJD'.repeat(1_250_000)}`;
    const started = performance.now();
    const out = redactAiMedia({
      distinctId: 'u',
      event: 'e',
      properties: {
        $ai_input: shared,
        $ai_output_choices: Array.from({ length: 50_000 }, (_, i) => ({ i })),
        $ai_input_state: [{ mediaType: 'application/pdf', data: 'QUJD'.repeat(1_250_000) }, big],
      },
    }) as { properties: Record<string, unknown> };
    expect(performance.now() - started).toBeLessThan(2000);
    let node = out.properties.$ai_input as Record<string, unknown>;
    for (let i = 0; i < 30; i++) {
      expect(node.a).toBe(node.b); // still one shared (redacted) object
      node = node.a as Record<string, unknown>;
    }
    expect(node.url).toBe(REDACTED_BASE64);
    expect(out.properties.$ai_input_state).toEqual([
      { mediaType: 'application/pdf', data: REDACTED_BASE64 },
      REDACTED_BASE64,
    ]);
  });

  it('reads a `format` and `data` object as audio only when that is all it holds', () => {
    const tool = { format: 'hex', data: 'ab'.repeat(64), name: 'checksum' };
    const out = redactAiMedia({ distinctId: 'u', event: 'e', properties: { $ai_output_choices: [tool] } });
    expect((out.properties as { $ai_output_choices: unknown[] }).$ai_output_choices[0]).toBe(tool);
  });
});

describe('captureAi with inline media', () => {
  const local = useLocalServer();

  it('sends an event that carried a 1.6 MB image, redacted, where it would have been refused', async () => {
    const client = local.client();
    const uuid = client.captureAi({ distinctId: 'u', event: '$ai_generation', properties: aiProperties() });
    expect(uuid).toBeDefined();
    await client.flush();
    const [event] = await local.server.waitForEvents(1);
    expect(JSON.stringify(event?.properties?.$ai_input)).not.toContain('base64,');
    expect(JSON.stringify(event).length).toBeLessThan(5000);
    // capture() is not an AI call: its properties go out as given (and this one is too large to go out at all).
    expect(
      client.capture({ distinctId: 'u', event: 'upload', properties: { $ai_input: LARGE_JPEG } }).ok,
    ).toBe(false);
  });

  it('keeps the media with redactAiBase64: false', async () => {
    const client = local.client({ redactAiBase64: false });
    client.captureAi({
      distinctId: 'u',
      event: '$ai_generation',
      properties: { $ai_input: [{ type: 'image_url', image_url: { url: PNG } }] },
    });
    await client.flush();
    const [event] = await local.server.waitForEvents(1);
    expect(event?.properties?.$ai_input).toEqual([{ type: 'image_url', image_url: { url: PNG } }]);
  });
});
