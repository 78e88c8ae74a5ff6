/** Deterministic numbers from a seed and a key, so any fact of the simulated world can be recomputed alone. */
export function hashString(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 16777619);
  }
  return hash >>> 0;
}

/** A uniform number in [0, 1) for (seed, key). */
export function unitFor(seed: number, key: string): number {
  let state = (hashString(key) ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d);
  state = Math.imul(state ^ (state >>> 12), 0x297a2d39);
  state ^= state >>> 15;
  return (state >>> 0) / 4294967296;
}

export function integerFor(seed: number, key: string, min: number, max: number): number {
  return min + Math.floor(unitFor(seed, key) * (max - min + 1));
}

/** A sequence generator for faults: same seed, same sequence. */
export function sequence(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A uniform number in [0, 1) for four integers: the hot path of generated analytics, no strings built. */
export function unitForNumbers(a: number, b: number, c: number, d: number): number {
  let state = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b);
  state = Math.imul(state ^ b ^ (state >>> 13), 0xc2b2ae35);
  state = Math.imul(state ^ c ^ (state >>> 16), 0x27d4eb2f);
  state = Math.imul(state ^ d ^ (state >>> 15), 0x165667b1);
  state ^= state >>> 16;
  return (state >>> 0) / 4294967296;
}
