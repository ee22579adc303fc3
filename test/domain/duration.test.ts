import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/domain/duration.ts';
import { formatWindow } from '../../src/views/time.ts';

describe('durations', () => {
  it('parses the policy notation', () => {
    expect(parseDuration('30m')).toBe(30 * 60_000);
    expect(parseDuration('2h')).toBe(2 * 3600_000);
    expect(parseDuration('72h')).toBe(72 * 3600_000);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('1h30m')).toBe(90 * 60_000);
  });
  it('rejects anything else, naming the text', () => {
    expect(() => parseDuration('30')).toThrow(/"30"/);
    expect(() => parseDuration('half an hour')).toThrow(/half an hour/);
    expect(() => parseDuration('')).toThrow();
  });
  it('renders windows in Chinese', () => {
    expect(formatWindow(30 * 60_000)).toBe('30分钟');
    expect(formatWindow(3600_000)).toBe('1小时');
    expect(formatWindow(72 * 3600_000)).toBe('72小时');
    expect(formatWindow(18_000)).toBe('18秒');
    expect(formatWindow(90 * 60_000)).toBe('1小时30分钟');
  });
});

describe('window rounding', () => {
  it('never shows 60 seconds', () => {
    expect(formatWindow(29 * 60_000 + 59_600)).toBe('30分钟');
  });
});
