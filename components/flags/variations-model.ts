import type { FlagConfig, FlagValueType, Variation } from "@/lib/evaluation/types";
import { referencedVariationKeys } from "@/lib/flags/variation-usage";

/** A row of the variations editor: the value as typed (JSON for json flags). */
export interface VariationRow {
  key: string;
  name: string;
  valueText: string;
  description: string;
  /** False for rows added in this edit: only their key may still change. */
  saved: boolean;
}

export const toRow = (v: Variation): VariationRow => ({
  key: v.key,
  name: v.name ?? "",
  valueText: typeof v.value === "string" ? v.value : JSON.stringify(v.value),
  description: v.description ?? "",
  saved: true,
});

/** The typed value of a row, or why it is not one. */
export function parseValue(valueType: FlagValueType, text: string): { value: unknown } | { error: string } {
  switch (valueType) {
    case "boolean":
      return text === "true" || text === "false" ? { value: text === "true" } : { error: "Choose true or false." };
    case "number":
      return text.trim() !== "" && Number.isFinite(Number(text)) ? { value: Number(text) } : { error: "Enter a number." };
    case "string":
      return { value: text };
    case "json":
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { error: "Enter valid JSON." };
      }
  }
}

/** The rows as variations (keeping what the editor does not show, e.g. metadata), or the first problem per row. */
export function rowsToVariations(valueType: FlagValueType, rows: VariationRow[], previous: Variation[]): { variations: Variation[]; errors: Record<number, string> } {
  const errors: Record<number, string> = {};
  const keys = new Set<string>();
  const variations = rows.map((row, i) => {
    const parsed = parseValue(valueType, row.valueText);
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(row.key)) errors[i] = "Keys are letters, digits, dots, dashes and underscores.";
    else if (keys.has(row.key)) errors[i] = `Another variation is called “${row.key}”.`;
    else if ("error" in parsed) errors[i] = parsed.error;
    keys.add(row.key);
    const before = previous.find((v) => v.key === row.key);
    return {
      ...before,
      key: row.key,
      value: "value" in parsed ? parsed.value : null,
      ...(row.name.trim() ? { name: row.name.trim() } : { name: undefined }),
      ...(row.description.trim() ? { description: row.description.trim() } : { description: undefined }),
    } as Variation;
  });
  return { variations: variations.map((v) => JSON.parse(JSON.stringify(v)) as Variation), errors };
}

/** Where each variation is named: by environment configuration (any state) and by other flags' prerequisites. */
export function variationUsage(environments: { name: string; config: FlagConfig | null }[], dependents: { flagKey: string; environmentName: string; variations: string[] }[]): Map<string, string[]> {
  const usage = new Map<string, string[]>();
  const add = (key: string, where: string) => usage.set(key, [...new Set([...(usage.get(key) ?? []), where])]);
  for (const env of environments) if (env.config) for (const key of referencedVariationKeys(env.config)) add(key, env.name);
  for (const d of dependents) for (const key of d.variations) add(key, `${d.flagKey} (${d.environmentName})`);
  return usage;
}

/** What the edit changes, in words, for the confirmation. */
export function describeVariationChanges(before: Variation[], after: Variation[]): string[] {
  const lines: string[] = [];
  const old = new Map(before.map((v) => [v.key, v]));
  for (const v of after) {
    const was = old.get(v.key);
    if (!was) lines.push(`Adds “${v.key}” = ${JSON.stringify(v.value)}`);
    else {
      if (JSON.stringify(was.value) !== JSON.stringify(v.value)) lines.push(`“${v.key}”: value ${JSON.stringify(was.value)} → ${JSON.stringify(v.value)}`);
      if ((was.name ?? "") !== (v.name ?? "")) lines.push(`“${v.key}”: name “${was.name ?? ""}” → “${v.name ?? ""}”`);
      if ((was.description ?? "") !== (v.description ?? "")) lines.push(`“${v.key}”: description changed`);
    }
  }
  for (const v of before) if (!after.some((a) => a.key === v.key)) lines.push(`Removes “${v.key}”`);
  return lines;
}
