import type { z } from "zod";
import type { ValidationIssue } from "@/lib/evaluation/types";

/**
 * Validation problems (the engine's `validateFlagConfig` and the zod schema) arrive with a path
 * into the configuration, e.g. ["rules", 1, "clauses", 0, "values", 2]. The builder shows each
 * next to the control that edits that part: here a path becomes the key of that field
 * ("rules.1.clauses.0.values", with value 2 marked), and the key becomes a DOM id, so the
 * problem summary can move focus to the field.
 */

export interface FieldIssue {
  message: string;
  severity: "error" | "warning";
  code: string;
  /** For list inputs (condition values, target keys): which entry is wrong. */
  valueIndex?: number;
}

type Path = readonly (string | number | symbol)[];

/** The field a path belongs to. Entries of value lists map to the list, remembering the index. */
export function fieldKeyOf(path: Path): { key: string; valueIndex?: number } {
  const parts = path.map((p) => (typeof p === "symbol" ? p.description ?? "" : String(p)));
  const at = parts.indexOf("values");
  if (at >= 0 && at + 1 < parts.length && /^\d+$/.test(parts[at + 1])) {
    return { key: parts.slice(0, at + 1).join("."), valueIndex: Number(parts[at + 1]) };
  }
  return { key: parts.join(".") || "_form" };
}

/** `rules.0.clauses.1.values` → `field-rules-0-clauses-1-values` (a valid, stable element id). */
export function fieldDomId(key: string): string {
  return `field-${key.replace(/[^A-Za-z0-9_-]/g, "-")}`;
}

/** zod problems in the engine's issue shape, so both kinds are shown the same way. */
export function zodIssues(error: z.ZodError): ValidationIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((p) => (typeof p === "symbol" ? String(p.description) : p)),
    message: issue.message,
    code: `schema_${issue.code}`,
  }));
}

/** Problems indexed by field. */
export class IssueIndex {
  private readonly byField = new Map<string, FieldIssue[]>();
  readonly all: (FieldIssue & { key: string })[] = [];

  constructor(issues: readonly ValidationIssue[]) {
    for (const issue of issues) {
      const { key, valueIndex } = fieldKeyOf(issue.path);
      const entry: FieldIssue = { message: issue.message, severity: issue.severity ?? "error", code: issue.code, ...(valueIndex === undefined ? {} : { valueIndex }) };
      const list = this.byField.get(key) ?? [];
      // The schema and the engine can say the same thing about one field; say it once.
      if (!list.some((i) => i.message === entry.message)) {
        list.push(entry);
        this.byField.set(key, list);
        this.all.push({ ...entry, key });
      }
    }
  }

  get errorCount(): number {
    return this.all.filter((i) => i.severity === "error").length;
  }

  /** Problems of exactly this field. */
  at(key: string): FieldIssue[] {
    return this.byField.get(key) ?? [];
  }

  /** The error text to show under a field (errors first, then warnings), or undefined. */
  messageAt(key: string, severity: "error" | "warning" = "error"): string | undefined {
    const list = this.at(key).filter((i) => i.severity === severity);
    return list.length ? list.map((i) => i.message).join(" ") : undefined;
  }

  /** Problems of a field and everything inside it (`rules.2` → the whole rule). */
  under(prefix: string): (FieldIssue & { key: string })[] {
    return this.all.filter((i) => i.key === prefix || i.key.startsWith(`${prefix}.`));
  }

  /** For list inputs: entry index → message. */
  valueErrors(key: string): Map<number, string> {
    const out = new Map<number, string>();
    for (const issue of this.at(key)) {
      if (issue.valueIndex !== undefined && issue.severity === "error" && !out.has(issue.valueIndex)) out.set(issue.valueIndex, issue.message);
    }
    return out;
  }
}
