import { describe, expect, test } from 'bun:test';
import { clientInfoFor, createClientIpResolver } from './client-ip.ts';

const socket = { requestIP: () => ({ address: '10.0.0.7' }) };
const request = (headers: Record<string, string> = {}) => new Request('http://zekka.test/', { headers });

describe('client IP', () => {
  test('is the socket address by default, whatever X-Forwarded-For says', () => {
    expect(createClientIpResolver()(request({ 'x-forwarded-for': '1.2.3.4' }), socket)).toBe('10.0.0.7');
  });

  test('is the first X-Forwarded-For hop behind a trusted proxy', () => {
    const clientIp = createClientIpResolver(true);
    expect(clientIp(request({ 'x-forwarded-for': ' 1.2.3.4 , 10.0.0.1' }), socket)).toBe('1.2.3.4');
    expect(clientIp(request(), socket)).toBe('10.0.0.7');
    expect(clientIp(request({ 'x-forwarded-for': 'x'.repeat(100) }), socket)).toBe('10.0.0.7');
  });

  test('is null when unknown (in-process requests)', () => {
    expect(createClientIpResolver()(request(), null)).toBeNull();
  });

  test('client info bounds the user agent', () => {
    const info = clientInfoFor(createClientIpResolver(), request({ 'user-agent': 'u'.repeat(1000) }), socket);
    expect(info).toEqual({ ip: '10.0.0.7', userAgent: 'u'.repeat(512) });
  });
});
