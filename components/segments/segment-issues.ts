import type { ClauseProblems } from "@/components/rule-builder/clause-row";
import type { ValidationIssue } from "@/lib/evaluation/types";

/**
 * The engine's validation issues for a segment, sorted by where the editor shows them: on a
 * clause's attribute, operator or values, on a rule, on the key lists, or on the segment.
 */
export class SegmentIssues {
  constructor(readonly issues: readonly ValidationIssue[]) {}

  get errors(): ValidationIssue[] {
    return this.issues.filter((i) => i.severity !== "warning");
  }

  get warnings(): ValidationIssue[] {
    return this.issues.filter((i) => i.severity === "warning");
  }

  clause(rule: number, clause: number): ClauseProblems {
    const problems: ClauseProblems = {};
    for (const issue of this.errors) {
      const [r, i, c, j, part, k] = issue.path;
      if (r !== "rules" || i !== rule || c !== "clauses" || j !== clause) continue;
      if (part === "attribute") problems.attribute ??= issue.message;
      else if (part === "op") problems.op ??= issue.message;
      else if (part === "values" && typeof k === "number") (problems.value ??= {})[k] ??= issue.message;
      else if (part === "values") problems.values ??= issue.message;
      else problems.attribute ??= issue.message;
    }
    return problems;
  }

  /** Problems with a rule as a whole (not inside one of its clauses). */
  rule(rule: number): string[] {
    return this.errors.filter((i) => i.path[0] === "rules" && i.path[1] === rule && i.path[2] !== "clauses").map((i) => i.message);
  }

  /** Problems with the segment as a whole (a cycle through other segments…). */
  segment(): string[] {
    return this.errors.filter((i) => i.path.length === 0 || (i.path[0] === "rules" && i.path.length === 1)).map((i) => i.message);
  }
}
