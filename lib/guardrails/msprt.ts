/**
 * Mixture sequential probability ratio test (mSPRT) with a normal mixture, after Johari, Koomen,
 * Pekelis & Walsh, "Always Valid Inference: Continuous Monitoring of A/B Tests" (Operations
 * Research 70(3), 2022). See docs/decisions/0009-guardrail-statistics.md.
 *
 * The estimate θ̂ of a contrast is treated as N(θ, V). Against H0: θ = θ0, mixing the alternative
 * over θ ~ N(θ0, τ²) gives the likelihood ratio
 *
 *   Λ = sqrt(V / (V + τ²)) · exp( τ² (θ̂ − θ0)² / (2 V (V + τ²)) )
 *
 * which is a martingale under H0 as data accrue, so by Ville's inequality P(Λ ever ≥ 1/α) ≤ α:
 * the test may be checked after every minute without inflating the error. The always-valid
 * p-value is min over checks of 1/Λ; the confidence sequence is {θ0 : Λ(θ0) < 1/α}.
 *
 * Guardrails test one side (harm): H0 is "harm ≤ θ0" and we reject only when θ̂ > θ0. That event
 * is contained in the two-sided crossing, and its probability only falls as the true θ moves
 * below θ0, so the one-sided use keeps level α for the whole composite null.
 */

export interface MsprtInput {
  /** The estimated contrast θ̂ (oriented so that larger = more harm). */
  estimate: number;
  /** Its variance V (> 0). */
  variance: number;
  /** The null boundary θ0. */
  nullValue: number;
  /** The mixing variance τ² (> 0). */
  mixingVariance: number;
}

export interface MsprtResult {
  logLikelihoodRatio: number;
  /** One-sided always-valid p-value at this check: 1 when θ̂ is on the safe side, else min(1, 1/Λ). */
  pValue: number;
}

export function msprt({ estimate, variance, nullValue, mixingVariance }: MsprtInput): MsprtResult {
  const v = variance;
  const t2 = mixingVariance;
  const d = estimate - nullValue;
  const logLikelihoodRatio = 0.5 * Math.log(v / (v + t2)) + (t2 * d * d) / (2 * v * (v + t2));
  const pValue = d > 0 ? Math.min(1, Math.exp(-logLikelihoodRatio)) : 1;
  return { logLikelihoodRatio, pValue };
}

/** Half-width of the (1 − α) confidence sequence around θ̂ at this check. */
export function confidenceSequenceRadius(variance: number, mixingVariance: number, alpha: number): number {
  const v = variance;
  const t2 = mixingVariance;
  return Math.sqrt(((v * (v + t2)) / t2) * (2 * Math.log(1 / alpha) + Math.log((v + t2) / v)));
}

/**
 * The mixing variance as a multiple r of V*, the contrast's variance when each arm reaches the
 * plan's minimum sample. The smallest effect the test can flag at information V is
 *   |θ − θ0| = sqrt(V · (1 + 1/r) · (2 log(1/α) + log(1 + r)))   with r = τ²/V,
 * and r here minimises it, i.e. the test is tuned to be sharpest at the moment the plan first
 * allows a decision. The curve is flat near its minimum (r ≈ 8 at α = 0.05, 12–14 at the corrected
 * alphas guardrails use; ±50 % in r changes the detectable effect by < 0.5 %), so a plug-in V* from the data so far costs little.
 */
export function optimalMixingRatio(alpha: number): number {
  const cached = ratioByAlpha.get(alpha);
  if (cached !== undefined) return cached;
  const ratio = searchMixingRatio(alpha);
  if (ratioByAlpha.size < 1000) ratioByAlpha.set(alpha, ratio);
  return ratio;
}

/** The corrected alphas in use are few (confidence / number of checks): remember them. */
const ratioByAlpha = new Map<number, number>();

function searchMixingRatio(alpha: number): number {
  const c = 2 * Math.log(1 / alpha);
  const cost = (logR: number) => {
    const r = Math.exp(logR);
    return (1 + 1 / r) * (c + Math.log1p(r));
  };
  // Golden-section search on log r; the cost is unimodal there.
  let lo = Math.log(0.01);
  let hi = Math.log(1e6);
  const g = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 80; i++) {
    const a = hi - g * (hi - lo);
    const b = lo + g * (hi - lo);
    if (cost(a) < cost(b)) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}
