import { listRecentContexts, type RecentContext } from "@/lib/data/recent-contexts";

/** Contexts seen within this many days are replayed… */
export const IMPACT_WINDOW_DAYS = 7;
/** …the most recent this many of them. */
export const IMPACT_CONTEXT_LIMIT = 10_000;

export interface ImpactSampleInfo {
  /** Contexts replayed (0 when the environment has no recent exposure events). */
  contexts: number;
  days: number;
  limit: number;
}

/**
 * The recently seen contexts an impact preview replays: each context once, with the public
 * attributes of its latest exposure in the environment, newest first.
 */
export async function loadImpactSample(environmentId: string, now: Date): Promise<{ contexts: RecentContext[]; sample: ImpactSampleInfo }> {
  const contexts = await listRecentContexts(environmentId, new Date(now.getTime() - IMPACT_WINDOW_DAYS * 86_400_000), IMPACT_CONTEXT_LIMIT);
  return { contexts, sample: { contexts: contexts.length, days: IMPACT_WINDOW_DAYS, limit: IMPACT_CONTEXT_LIMIT } };
}
