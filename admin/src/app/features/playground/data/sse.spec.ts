import { ProblemError } from '../../../core/http/problem';
import { toRunEvent } from './playground.api';
import { readSse, SseMessage, SseParser } from './sse';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

async function readAll(chunks: string[]): Promise<SseMessage[]> {
  const messages: SseMessage[] = [];
  await readSse(streamOf(chunks), (m) => messages.push(m));
  return messages;
}

describe('SseParser', () => {
  it('emits several events of one chunk in order, skipping comments (keep-alives)', () => {
    const parser = new SseParser();
    const messages = parser.push(
      'event: delta\ndata: {"text":"Hel"}\n\n: keep-alive\n\nevent: delta\ndata: {"text":"lo"}\n\nevent: done\ndata: {"id":"r1"}\n\n',
    );
    expect(messages).toEqual([
      { event: 'delta', data: '{"text":"Hel"}' },
      { event: 'delta', data: '{"text":"lo"}' },
      { event: 'done', data: '{"id":"r1"}' },
    ]);
  });

  it('keeps an event split across chunks anywhere (inside the name, the data, the blank line) until complete', () => {
    const parser = new SseParser();
    expect(parser.push('eve')).toEqual([]);
    expect(parser.push('nt: delta\nda')).toEqual([]);
    expect(parser.push('ta: {"text":"a b"}\n')).toEqual([]);
    expect(parser.push('\nevent: delta\ndata: {"te')).toEqual([{ event: 'delta', data: '{"text":"a b"}' }]);
    expect(parser.push('xt":"c"}\n\n')).toEqual([{ event: 'delta', data: '{"text":"c"}' }]);
  });

  it('accepts CRLF and CR line ends, also a CRLF split between two chunks', () => {
    const parser = new SseParser();
    expect(parser.push('event: delta\r\ndata: x\r')).toEqual([]);
    expect(parser.push('\n\r\n')).toEqual([{ event: 'delta', data: 'x' }]);
    expect(parser.push('data: y\r\r')).toEqual([{ event: 'message', data: 'y' }]);
  });

  it('joins several data lines with a line break and drops one space after the colon only', () => {
    const parser = new SseParser();
    expect(parser.push('data:  two spaces\ndata:none\n\n')).toEqual([
      { event: 'message', data: ' two spaces\nnone' },
    ]);
  });

  it('drops an event the stream ended in the middle of', async () => {
    expect(await readAll(['event: delta\ndata: {"text":"a"}\n\nevent: delta\ndata: {"text":"b"}'])).toEqual([
      { event: 'delta', data: '{"text":"a"}' },
    ]);
  });

  it('decodes multi-byte characters split between chunks', async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"Grüße ✓"}\n\n');
    const cut = 30; // inside "ü" or "✓"'s bytes
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    const messages: SseMessage[] = [];
    await readSse(stream, (m) => messages.push(m));
    expect(messages).toEqual([{ event: 'delta', data: '{"text":"Grüße ✓"}' }]);
  });
});

describe('toRunEvent', () => {
  const run = { id: 'r1', output: 'Hello', status: 'success' };

  it('reads the events of a single run', () => {
    expect(toRunEvent({ event: 'delta', data: '{"text":"Hi"}' })).toEqual({ type: 'delta', text: 'Hi' });
    expect(toRunEvent({ event: 'done', data: JSON.stringify(run) })).toEqual({ type: 'done', run });
  });

  it('reads the events of a comparison with their target, and its end', () => {
    expect(toRunEvent({ event: 'delta', data: '{"target":1,"text":"Hi"}' })).toEqual({
      type: 'delta',
      target: 1,
      text: 'Hi',
    });
    expect(toRunEvent({ event: 'done', data: JSON.stringify({ target: 0, run }) })).toEqual({
      type: 'done',
      target: 0,
      run,
    });
    expect(toRunEvent({ event: 'end', data: '{}' })).toEqual({ type: 'end' });
  });

  it('turns an error event into a ProblemError with its code and extensions', () => {
    const problem = {
      type: 'about:blank',
      title: 'The model provider failed',
      status: 502,
      code: 'provider_error',
      detail: 'Invalid API key',
      providerStatus: 401,
    };
    const single = toRunEvent({ event: 'error', data: JSON.stringify(problem) });
    const compared = toRunEvent({ event: 'error', data: JSON.stringify({ target: 2, problem }) });
    for (const event of [single, compared]) {
      expect(event?.type).toBe('error');
      const error = (event as { problem: ProblemError }).problem;
      expect(error).toBeInstanceOf(ProblemError);
      expect(error.status).toBe(502);
      expect(error.problem.code).toBe('provider_error');
      expect(error.problem.extensions?.['providerStatus']).toBe(401);
    }
    expect((compared as { target: number }).target).toBe(2);
  });

  it('skips unknown events and broken data', () => {
    expect(toRunEvent({ event: 'ping', data: '{}' })).toBeNull();
    expect(toRunEvent({ event: 'delta', data: 'not json' })).toBeNull();
    expect(toRunEvent({ event: 'done', data: '{"no":"id"}' })).toBeNull();
  });
});
