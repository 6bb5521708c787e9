/** Reading a file's whole size, and how long to wait, from an HTTP answer's headers. */
import { expect, it } from '@jest/globals';
import { retryAfterMs, sizeFromAnswer } from '../../src/host/sizes/answer-size.js';

it('takes the size from a full answer\'s Content-Length and from the total of a Content-Range', () => {
  expect(sizeFromAnswer(200, { 'content-length': '5000' })).toBe(5000);
  expect(sizeFromAnswer(206, { 'content-range': 'bytes 0-99/5000', 'content-length': '100' })).toBe(5000);
  expect(sizeFromAnswer(416, { 'content-range': 'bytes */5000' })).toBe(5000);
  expect(sizeFromAnswer(200, { 'content-length': '0' })).toBe(0);
});

it('tells nothing when the answer does not say, or says something unreadable', () => {
  expect(sizeFromAnswer(200, {})).toBeUndefined();
  expect(sizeFromAnswer(206, { 'content-range': 'bytes 0-99/*', 'content-length': '100' })).toBeUndefined();
  expect(sizeFromAnswer(429, { 'content-length': '120' })).toBeUndefined();
  expect(sizeFromAnswer(200, { 'content-length': '-3' })).toBeUndefined();
  expect(sizeFromAnswer(200, { 'content-length': '1e3' })).toBeUndefined();
  expect(sizeFromAnswer(200, { 'content-length': '99999999999999999999' })).toBeUndefined();
});

it('reads Retry-After as seconds or as an HTTP date', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  expect(retryAfterMs('7', now)).toBe(7000);
  expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
  expect(retryAfterMs('Wed, 31 Dec 2025 23:00:00 GMT', now)).toBe(0);
  expect(retryAfterMs(undefined, now)).toBeUndefined();
  expect(retryAfterMs('soon', now)).toBeUndefined();
});
