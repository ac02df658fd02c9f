/**
 * Prepares a fresh database for the HTTP benchmark, in this process and before any server opens
 * it: migrations, the project (through `createProject`, as a system actor), the attribute catalog
 * entries W1 targets, the 100 W1 flags with their configuration in an environment that needs no
 * review, and the init admin token the benchmark then uses for REST (SDK keys, configuration
 * changes). Closes the database afterwards, so a server may take the PGlite lock.
 *
 * Flags and configurations are inserted directly with Prisma (there is no flag-creation service
 * yet), but every configuration is checked with the engine's own `validateFlagConfig` against the
 * same catalog first, so the rows are ones the console could have saved.
 */
import { ensureInitAdminToken } from "@/lib/api-tokens/ensure-init-admin-token";
import { appendAuditEvent } from "@/lib/audit/append-audit-event";
import { closePrisma, getDatabase, type DatabaseConfig, type Prisma } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { validateFlagConfig } from "@/lib/evaluation";
import type { CatalogAttribute, FlagConfig } from "@/lib/evaluation/types";
import { createProject } from "@/lib/projects/create-project";
import { toSwitchyardFlag } from "../evaluation/switchyard";
import { COUNTRIES, PLANS, type Workload } from "../evaluation/workloads";

export const BENCH_PROJECT = "bench";
/** A default environment whose policy applies changes at once (production requires review). */
export const BENCH_ENVIRONMENT = "development";

const SYSTEM = { type: "system", name: "bench-http" } as const;
const STAMP = { actorType: "system" as const, actorId: null, actorLabel: "system:bench-http" };

/** plan and country, public and dashboard dimensions (events are rolled up by them). */
export const BENCH_CATALOG: CatalogAttribute[] = [
  { key: "plan", type: "string", sensitivity: "public", allowedValues: [...PLANS], dashboardDimension: true },
  { key: "country", type: "string", sensitivity: "public", allowedValues: [...COUNTRIES], dashboardDimension: true },
];

export interface SetupResult {
  projectKey: string;
  environmentKey: string;
  environmentId: string;
  flags: number;
  migrations: number;
}

export async function setupBenchDatabase(config: DatabaseConfig, workload: Workload, adminToken: string): Promise<SetupResult> {
  const { applied } = await migrateDatabase(config);
  getDatabase(config);
  try {
    const project = await createProject(SYSTEM, { key: BENCH_PROJECT, name: "HTTP benchmark", description: "W1: 100 boolean flags (bench/http)." });
    const environment = project.environments.find((env) => env.key === BENCH_ENVIRONMENT);
    if (!environment || environment.requireReview) throw new Error(`environment ${BENCH_ENVIRONMENT} is missing or requires review`);

    const flags = workload.flags.map(toSwitchyardFlag);
    for (const flag of flags) {
      const issues = validateFlagConfig(flag.config, BENCH_CATALOG, [], flags, flag).filter((issue) => issue.severity !== "warning");
      if (issues.length) throw new Error(`${flag.key}: ${issues[0].message}`);
    }

    const { prisma } = getDatabase();
    await prisma.$transaction(
      async (tx) => {
        await tx.attribute.createMany({
          data: BENCH_CATALOG.map((a) => ({
            projectId: project.id,
            key: a.key,
            type: a.type,
            sensitivity: a.sensitivity,
            allowedValues: a.allowedValues as Prisma.InputJsonValue,
            dashboardDimension: a.dashboardDimension ?? false,
            description: "HTTP benchmark (W1)",
          })),
        });
        for (const flag of flags) {
          const { version: _version, ...config } = flag.config as FlagConfig & { version?: number };
          const json = config as unknown as Prisma.InputJsonValue;
          const variations = flag.variations as unknown as Prisma.InputJsonValue;
          await tx.flag.create({
            data: {
              projectId: project.id,
              key: flag.key,
              name: flag.key,
              kind: flag.kind,
              valueType: flag.valueType,
              variations,
              clientVisible: true,
              configs: { create: [{ environmentId: environment.id, config: json, version: 1 }] },
              revisions: { create: [{ environmentId: environment.id, version: 1, config: json, variations, ...STAMP }] },
            },
          });
        }
        await tx.$executeRaw`UPDATE environments SET "snapshotVersion" = "snapshotVersion" + 1 WHERE id = ${environment.id}`;
        await appendAuditEvent(tx, {
          ...STAMP,
          projectId: project.id,
          environmentId: environment.id,
          action: "bench.seeded",
          entityType: "project",
          entityKey: project.key,
          after: { flags: flags.length, workload: workload.name },
          reason: "HTTP benchmark data (bench/http/setup-database.ts).",
        });
      },
      { timeout: 120_000, maxWait: 30_000 },
    );
    await ensureInitAdminToken(adminToken);
    return { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id, flags: flags.length, migrations: applied.length };
  } finally {
    await closePrisma();
  }
}
