/**
 * A seeded pseudo-random generator and the samplers the simulator needs. Deterministic for a
 * given seed, so every simulated rollout can be replayed.
 */

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
}

/** sfc32 (Chris Doty-Humphrey's Small Fast Counter): 128-bit state, passes PractRand; seeded by splitmix32. */
export function createRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  const next = () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
  for (let i = 0; i < 12; i++) next();
  return { next };
}

/** Standard normal by Box–Muller. */
export function sampleNormal(random: Random): number {
  let u = random.next();
  while (u === 0) u = random.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.next());
}

/**
 * Binomial(n, p). Exact when the expected count of the rarer outcome is small (geometric skips
 * between successes, or one Bernoulli draw per trial for small n) — which covers every metric
 * event count the guardrail scenarios draw. Splits of thousands of exposures between arms or
 * cohorts (n·p·(1−p) > 25) use the normal approximation with continuity correction, whose error
 * there is far below what the tests can resolve.
 */
export function sampleBinomial(random: Random, n: number, p: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - sampleBinomial(random, n, 1 - p);
  if (n < 8) {
    let k = 0;
    for (let i = 0; i < n; i++) if (random.next() < p) k++;
    return k;
  }
  if (n * p * (1 - p) <= 25) {
    // Waiting times between successes are geometric: skip straight to the next one.
    const logQ = Math.log(1 - p);
    let k = 0;
    let position = 0;
    for (;;) {
      let u = random.next();
      while (u === 0) u = random.next();
      position += Math.floor(Math.log(u) / logQ) + 1;
      if (position > n) return k;
      k++;
    }
  }
  const draw = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * sampleNormal(random));
  return Math.min(n, Math.max(0, draw));
}
