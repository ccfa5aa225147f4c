import { expect, test } from 'vitest';
import { describeListenError } from './listen-error.ts';

const error = (code: string) => Object.assign(new Error(`listen ${code}`), { code });

test('each bind failure names what to change', () => {
  expect(describeListenError(error('EADDRINUSE'), { host: '127.0.0.1', port: 8080 })).toMatch(
    /^Port 8080 on 127\.0\.0\.1 is already in use .*PORT=8081 npm start/,
  );
  expect(describeListenError(error('EADDRINUSE'), { host: '::', port: 65535 })).toContain('PORT=65534');
  expect(describeListenError(error('EACCES'), { host: '0.0.0.0', port: 80 })).toMatch(/port 80 .*below 1024.*PORT=8080/);
  expect(describeListenError(error('EADDRNOTAVAIL'), { host: '10.9.9.9', port: 8080 })).toMatch(/HOST=10\.9\.9\.9 is not an address/);
  expect(describeListenError(error('ENOTFOUND'), { host: 'nohost', port: 8080 })).toMatch(/HOST=nohost is not a known host/);
  expect(describeListenError(error('EMFILE'), { host: '127.0.0.1', port: 8080 })).toBeUndefined();
  expect(describeListenError('not an error', { host: '127.0.0.1', port: 8080 })).toBeUndefined();
});
