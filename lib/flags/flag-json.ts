import type { FlagRow } from "@/lib/data/flags";
import type { FlagConfig, Variation } from "@/lib/evaluation/types";
import type { FlagResource } from "@/lib/schemas/flag";

/** The REST representation of a flag definition (documented by `flagResourceSchema`). */
export function flagJson(flag: FlagRow): FlagResource {
  return {
    key: flag.key,
    name: flag.name,
    description: flag.description,
    kind: flag.kind,
    valueType: flag.valueType,
    variations: flag.variations as unknown as Variation[],
    controlVariation: flag.controlVariation,
    owner: flag.owner ? { email: flag.owner.email, name: flag.owner.name } : null,
    tags: flag.tags,
    lifecycle: flag.lifecycle,
    expiresAt: flag.expiresAt?.toISOString() ?? null,
    clientVisible: flag.clientVisible,
    createdAt: flag.createdAt.toISOString(),
    updatedAt: flag.updatedAt.toISOString(),
    environments: [...flag.configs]
      .sort((a, b) => a.environment.sortOrder - b.environment.sortOrder || a.environment.key.localeCompare(b.environment.key))
      .map((c) => ({ key: c.environment.key, on: (c.config as unknown as FlagConfig).on === true, version: c.version, updatedAt: c.updatedAt.toISOString() })),
  };
}
