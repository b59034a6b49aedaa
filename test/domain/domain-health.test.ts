import { describe, expect, it } from 'vitest';
import { domainHealth, domainHealthClass, domainHealthFromDaily, isRetirementCandidate } from '../../domain/index.js';

describe('domain health (RP-009, ED-004)', () => {
  it.each([
    [0, 0, 'good'],
    [0.0199, 0.0004, 'good'],
    [0.02, 0, 'warning'],
    [0.05, 0, 'warning'],
    [0.0501, 0, 'critical'],
    [0, 0.0005, 'warning'],
    [0, 0.001, 'warning'],
    [0, 0.0011, 'critical'],
    [0.01, 0.002, 'critical'],
  ])('RP-009: bounce %d, complaints %d -> %s', (bounceRate, complaintRate, cls) => {
    expect(domainHealthClass({ bounceRate, complaintRate })).toBe(cls);
  });

  it.each([
    [{ sent: 1000, bounced: 10, complaints: 0 }, 'good', null, false],
    [{ sent: 1000, bounced: 20, complaints: 0 }, 'warning', 35, false],
    [{ sent: 2000, bounced: 0, complaints: 1 }, 'warning', 35, false], // exactly 0.05%
    [{ sent: 1000, bounced: 51, complaints: 0 }, 'critical', 0, true],
    [{ sent: 0, bounced: 0, complaints: 0 }, 'good', null, false],
  ] as const)('ED-004: counts %j -> %s, limit %s, paused %s', (counts, cls, cap, paused) => {
    const h = domainHealth(counts);
    expect(h.class).toBe(cls);
    expect(h.dailyLimitCap).toBe(cap);
    expect(h.paused).toBe(paused);
    expect(h.alert).toBe(cls !== 'good');
  });

  it('RP-009: only the last 30 days count', () => {
    const rows = [
      { date: '2025-05-01', sent: 100, bounced: 50, complaints: 0 }, // 31 days before today: ignored
      { date: '2025-05-02', sent: 100, bounced: 1, complaints: 0 },
      { date: '2025-05-31', sent: 100, bounced: 0, complaints: 0 },
    ];
    expect(domainHealthFromDaily(rows, '2025-05-31').class).toBe('good');
    expect(domainHealthFromDaily(rows, '2025-05-30').class).toBe('critical');
  });

  it('RP-009: critical for 7+ days is a retirement candidate', () => {
    expect(isRetirementCandidate('2025-06-01T00:00:00Z', '2025-06-07T23:59:59Z')).toBe(false);
    expect(isRetirementCandidate('2025-06-01T00:00:00Z', '2025-06-08T00:00:00Z')).toBe(true);
    expect(isRetirementCandidate(null, '2025-06-08T00:00:00Z')).toBe(false);
  });
});
