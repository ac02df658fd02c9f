/**
 * Statistics primitives for the guardrails: the normal and chi-square (1 df) tails, the Wilson
 * interval, and the estimates a rollup's sufficient statistics give. Pure functions, no I/O.
 */

/**
 * Complementary error function, |relative error| < 1.2e-7 everywhere (Numerical Recipes' erfcc,
 * a Chebyshev fit). Accurate far enough into the tail for the p-values a guardrail compares
 * against (0.001 / k).
 */
export function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** P(X > x) for X ~ chi-square with one degree of freedom. */
export function chiSquare1UpperTail(x: number): number {
  if (!(x > 0)) return 1;
  return erfc(Math.sqrt(x / 2));
}

/** The standard normal quantile for an upper tail `p` (Acklam's rational approximation, refined once). */
export function normalQuantileUpper(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`tail probability must be in (0, 1), got ${p}`);
  const q = 1 - p;
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  let x: number;
  if (q < 0.02425) {
    const s = Math.sqrt(-2 * Math.log(q));
    x = (((((c[0] * s + c[1]) * s + c[2]) * s + c[3]) * s + c[4]) * s + c[5]) / ((((d[0] * s + d[1]) * s + d[2]) * s + d[3]) * s + 1);
  } else if (q <= 1 - 0.02425) {
    const s = q - 0.5;
    const r = s * s;
    x = ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * s) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  } else {
    const s = Math.sqrt(-2 * Math.log(1 - q));
    x = -(((((c[0] * s + c[1]) * s + c[2]) * s + c[3]) * s + c[4]) * s + c[5]) / ((((d[0] * s + d[1]) * s + d[2]) * s + d[3]) * s + 1);
  }
  // One Newton step against the CDF sharpens the approximation to ~1e-9.
  const e = 1 - normalUpperTail(x) - q;
  return x - e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
}

/** Wilson score interval for `successes` out of `trials` at the given two-sided confidence. */
export function wilsonInterval(successes: number, trials: number, confidence = 0.95): { low: number; high: number } {
  if (trials <= 0) return { low: 0, high: 1 };
  const z = normalQuantileUpper((1 - confidence) / 2);
  const p = successes / trials;
  const z2n = (z * z) / trials;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2n / (4 * trials))) / (1 + z2n);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** Mean and unbiased variance from a value metric's count, sum and sum of squares (NaN-free). */
export function meanAndVariance(count: number, sum: number, sumSquares: number): { mean: number; variance: number } {
  if (count <= 0) return { mean: 0, variance: 0 };
  const mean = sum / count;
  if (count < 2) return { mean, variance: 0 };
  // Clamp: cancellation in sumSquares − sum²/n can go slightly negative for constant values.
  const variance = Math.max(0, (sumSquares - (sum * sum) / count) / (count - 1));
  return { mean, variance };
}
