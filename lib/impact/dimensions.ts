import type { AttributeSensitivity } from "@/lib/evaluation/types";

interface CatalogEntry {
  key: string;
  sensitivity: AttributeSensitivity;
  dashboardDimension: boolean;
}

/**
 * The attributes an impact is broken down by: the catalog's dashboard dimensions that are public.
 * (The catalog refuses private dimensions, but an attribute made private later keeps its flag;
 * its values are never stored with events and must not be shown.)
 */
export function impactDimensions(catalog: readonly CatalogEntry[]): string[] {
  return catalog
    .filter((a) => a.dashboardDimension && a.sensitivity === "public")
    .map((a) => a.key)
    .sort();
}

/** Catalog attributes that are stripped from events: rules on them cannot be replayed faithfully. */
export function privateAttributeKeys(catalog: readonly CatalogEntry[]): Set<string> {
  return new Set(catalog.filter((a) => a.sensitivity !== "public").map((a) => a.key));
}
