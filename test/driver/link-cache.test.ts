import { describe, expect, it } from '@jest/globals';
import { BASE_URL_LIFETIME_MS, LinkCache } from '../../src/driver/google-photos/link-cache.js';

describe('LinkCache', () => {
  it('stays bounded and forgets the oldest baseUrls first', () => {
    const cache = new LinkCache(() => 0, 100);
    for (let n = 0; n < 1_000; n += 1) cache.remember({ id: `item-${n}`, baseUrl: `https://media/${n}` });
    const kept = Array.from({ length: 1_000 }, (_, n) => cache.fresh(`item-${n}`) !== undefined);
    expect(kept.filter(Boolean).length).toBeLessThanOrEqual(100);
    expect(kept.filter(Boolean).length).toBeGreaterThanOrEqual(90);
    expect(kept[999]).toBe(true);
    expect(kept[0]).toBe(false);
    // What is kept is the most recent run, with no holes.
    const firstKept = kept.indexOf(true);
    expect(kept.slice(firstKept).every(Boolean)).toBe(true);
  });

  it('treats a re-seen item as new and drops baseUrls past their lifetime', () => {
    let now = 0;
    const cache = new LinkCache(() => now, 5);
    for (const id of ['a', 'b', 'c', 'd', 'e']) cache.remember({ id, baseUrl: `https://media/${id}` });
    cache.remember({ id: 'a', baseUrl: 'https://media/a2' });
    cache.remember({ id: 'f', baseUrl: 'https://media/f' });
    expect(cache.fresh('b')).toBeUndefined();
    expect(cache.fresh('a')?.baseUrl).toBe('https://media/a2');
    now = BASE_URL_LIFETIME_MS;
    expect(cache.fresh('f')).toBeUndefined();
  });
});
