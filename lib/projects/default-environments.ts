import type { NewEnvironment } from "@/lib/data/projects";

/** Every new project starts with these; production changes need one approval. */
export const DEFAULT_ENVIRONMENTS: readonly NewEnvironment[] = [
  { key: "development", name: "Development", sortOrder: 0, color: "#16a34a", requireReview: false, requiredApprovals: 0 },
  { key: "staging", name: "Staging", sortOrder: 1, color: "#d97706", requireReview: false, requiredApprovals: 0 },
  { key: "production", name: "Production", sortOrder: 2, color: "#dc2626", requireReview: true, requiredApprovals: 1 },
];
