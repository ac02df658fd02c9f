import { loadEventCatalogRows } from "@/lib/data/events";

/** What ingestion needs to know about a project: its flags, metrics and attribute catalog. */
export interface EventCatalog {
  flags: ReadonlyMap<string, { clientVisible: boolean }>;
  metrics: ReadonlyMap<string, { kind: "rate" | "value" }>;
  /** Attribute keys whose sensitivity is public: the only attributes events keep. */
  publicAttributes: ReadonlySet<string>;
  /** Public attributes marked as dashboard dimensions, sorted: the cohort axes of rollups. */
  dimensions: readonly string[];
}

/**
 * Cached per project for one second, like SDK keys (lib/auth/sdk-key-auth.ts): at 200 batches/s
 * three catalog queries per batch would cost more than the batch. A catalog change therefore
 * applies to ingestion within a second. Privacy does not depend on the cache being fresh: an
 * attribute not yet in the catalog is stripped anyway, and one made private later was public
 * (stored by design) until then.
 */
const CACHE_TTL_MS = 1000;
const cache = new Map<string, { at: number; catalog: Promise<EventCatalog> }>();

export function getEventCatalog(projectId: string, now = Date.now()): Promise<EventCatalog> {
  const cached = cache.get(projectId);
  if (cached && now - cached.at < CACHE_TTL_MS) return cached.catalog;
  // Concurrent batches of one project share a single load.
  const catalog = loadEventCatalog(projectId);
  if (cache.size > 10_000) cache.clear();
  const entry = { at: now, catalog };
  cache.set(projectId, entry);
  // A failed load is not cached (the caller sees the error; the next batch tries again).
  catalog.catch(() => {
    if (cache.get(projectId) === entry) cache.delete(projectId);
  });
  return catalog;
}

/** Forget cached catalogs (tests that change a catalog and ingest at once). */
export function clearEventCatalogCache(): void {
  cache.clear();
}

async function loadEventCatalog(projectId: string): Promise<EventCatalog> {
  const rows = await loadEventCatalogRows(projectId);
  const publicAttributes = new Set(rows.attributes.filter((a) => a.sensitivity === "public").map((a) => a.key));
  return {
    flags: new Map(rows.flags.map((f) => [f.key, { clientVisible: f.clientVisible }])),
    metrics: new Map(rows.metrics.map((m) => [m.key, { kind: m.kind }])),
    publicAttributes,
    // The schema says dashboard dimensions must be public; a private one is never an axis anyway.
    dimensions: rows.attributes
      .filter((a) => a.dashboardDimension && publicAttributes.has(a.key))
      .map((a) => a.key)
      .sort(),
  };
}
