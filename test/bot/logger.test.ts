import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { createLogger, wantsPrettyLogs } from '../../bot/logger.js';

/** Logs one line through a logger built with `pretty`, and returns what was written. */
function logOnce(pretty: boolean): string {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (chunk: Buffer) => chunks.push(chunk));
  const logger = createLogger('info', { pretty, destination: out });
  logger.info({ user: { text: 'secret words' }, listen: '127.0.0.1:3978' }, 'starting');
  logger.debug('not at info level');
  return Buffer.concat(chunks).toString('utf8');
}

describe('logger', () => {
  it('writes one JSON object per line when nobody is reading a terminal', () => {
    const lines = logOnce(false).trim().split('\n');
    assert.equal(lines.length, 1);
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(entry.msg, 'starting');
    assert.equal(entry.level, 30);
    assert.deepEqual(entry.user, { text: '[redacted]' });
  });

  it('writes readable lines in a terminal, with the level, the message and the same redaction', () => {
    const text = logOnce(true);
    const lines = text.trim().split('\n');
    assert.equal(lines.length, 1, text);
    assert.match(lines[0]!, /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: starting /);
    assert.doesNotMatch(lines[0]!, /^\{/);
    assert.match(lines[0]!, /"listen":"127\.0\.0\.1:3978"/);
    assert.doesNotMatch(text, /secret words/);
  });

  it('asks for readable lines only when stdout is a terminal', () => {
    assert.equal(wantsPrettyLogs({ isTTY: true }), true);
    assert.equal(wantsPrettyLogs({ isTTY: false }), false);
    assert.equal(wantsPrettyLogs({}), false);
  });
});
