import { Writable } from 'node:stream';
import { expect, test } from 'vitest';
import { createPinoLogger, logLevelFrom, scrubSecrets } from './log.ts';

test('credentials are blanked wherever they appear in a text', () => {
  const token = 'ipt_0123456789abcdefghijklmnopqrstuvwxyzABCDEFG';
  expect(scrubSecrets(`GET /api/accounts/${token}/summary`)).toBe('GET /api/accounts/ipt_[redacted]/summary');
  expect(scrubSecrets('Authorization: Bearer abc.def-ghi')).toBe('Authorization: Bearer [redacted]');
  expect(scrubSecrets('basic dXNlcjpwYXNz, then')).toBe('basic [redacted], then');
  expect(scrubSecrets('/sync/demo?proto=1&token=s3cret&x=1')).toBe('/sync/demo?proto=1&token=[redacted]&x=1');
  expect(scrubSecrets('Connection 4 opened: account demo, admin demo-ann.')).toBe('Connection 4 opened: account demo, admin demo-ann.');
});

function capture() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, destination };
}

test('the pino logger writes one JSON object per line with its fields, token-named fields blanked', () => {
  const { lines, destination } = capture();
  const log = createPinoLogger({ destination });
  log.info('Connection 1 opened', { connectionId: 1, accountId: 'demo', token: 'ipt_secret', skipped: undefined });
  log.warn('Bearer ipt_abcdefghijkl failed', { authorization: 'Bearer x', note: 'ipt_zzzzzzzzzz' });
  log.error('plain');
  expect(lines).toEqual([
    expect.objectContaining({ level: 'info', msg: 'Connection 1 opened', connectionId: 1, accountId: 'demo', token: '[redacted]' }),
    expect.objectContaining({ level: 'warn', msg: 'Bearer [redacted] failed', authorization: '[redacted]', note: 'ipt_[redacted]' }),
    expect.objectContaining({ level: 'error', msg: 'plain' }),
  ]);
  expect(lines[0]).not.toHaveProperty('skipped');
  expect(typeof lines[0]!.time).toBe('string');
});

test('the level comes from LOG_LEVEL, or QUIET, or is info', () => {
  const { lines, destination } = capture();
  const log = createPinoLogger({ destination, level: 'warn' });
  log.info('dropped');
  log.warn('kept');
  expect(lines.map((line) => line.msg)).toEqual(['kept']);
  expect(logLevelFrom({})).toBe('info');
  expect(logLevelFrom({ QUIET: '1' })).toBe('warn');
  expect(logLevelFrom({ LOG_LEVEL: 'ERROR', QUIET: '1' })).toBe('error');
  expect(() => logLevelFrom({ LOG_LEVEL: 'loud' })).toThrow('LOG_LEVEL must be debug, info, warn or error, not "loud".');
});
