import { describe, expect, it } from 'vitest';
import { mapLimited } from '../../src/lib/concurrency.js';

describe('mapLimited', () => {
  it('keeps order and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const result = await mapLimited([5, 1, 4, 2, 3, 0], 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight--;
      return n * 10;
    });
    expect(result).toEqual([50, 10, 40, 20, 30, 0]);
    expect(most).toBe(2);
  });

  it('copes with no items', async () => {
    expect(await mapLimited([], 4, () => Promise.resolve(1))).toEqual([]);
  });
});
