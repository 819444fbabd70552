/**
 * Seeded PRNG (mulberry32) for the demo generator, which must give the same season for the same
 * seed on every machine, so it never touches Math.random. (The solver has its own copy; the demo
 * data should not depend on the solver library.)
 */
export class DemoPrng {
  private state: number;

  constructor(...seeds: number[]) {
    // Mix every seed in so that small consecutive seeds (and years) give unrelated streams.
    let h = 0x85ebca6b;
    for (const s of seeds) h = Math.imul(h ^ (s | 0), 0x9e3779b1) ^ (h >>> 15);
    this.state = h >>> 0;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)];
  }

  /** Picks an item with probability proportional to its (non-negative) weight. */
  weighted<T>(items: readonly T[], weight: (item: T) => number): T {
    const total = items.reduce((sum, item) => sum + weight(item), 0);
    let r = this.next() * total;
    for (const item of items) {
      r -= weight(item);
      if (r < 0) return item;
    }
    return items[items.length - 1];
  }
}
