/**
 * The demo's random numbers: `mulberry32`, a 32-bit generator small enough to keep here and stable across Node
 * versions, so that the same seed gives the same demo tickets on every machine (`Math.random` cannot be seeded).
 * @module
 */

/** A function answering numbers in [0, 1), the same sequence for the same seed. */
export type Random = () => number;

/** Tommy Ettinger's mulberry32: a 32-bit state advanced by a Weyl sequence and mixed. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max], both included. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** One element of a non-empty list. */
export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** One of the keys, chosen with the given relative weights. */
export function weighted<K extends string | number>(random: Random, weights: readonly [K, number][]): K {
  const total = weights.reduce((sum, [, w]) => sum + w, 0);
  let r = random() * total;
  for (const [key, w] of weights) {
    r -= w;
    if (r < 0) return key;
  }
  return weights[weights.length - 1]![0];
}
