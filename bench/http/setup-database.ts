/**
 * Prepares a fresh database for the HTTP benchmark, in this process and before any server opens
 * it, through the app's own domain services as a system actor: migrations, the project
 * (`createProject`), the 100 W1 flags (`createFlag`) and their configuration in an environment
 * that needs no review (`updateFlagConfig`, which validates against the attribute catalog, writes
 * the revision and the audit entry and bumps the snapshot version), and the init admin token the
 * benchmark then uses for REST (SDK keys, configuration changes). The catalog entries for `plan`
 * and `country` are inserted with Prisma: there is no attribute service yet. Closes the database
 * afterwards, so a server may take the PGlite lock.
 */
import { ensureInitAdminToken } from "@/lib/api-tokens/ensure-init-admin-token";
import { requireProjectPermission } from "@/lib/auth/access";
import { closePrisma, getDatabase, type DatabaseConfig, type Prisma } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import type { CatalogAttribute } from "@/lib/evaluation/types";
import { createFlag } from "@/lib/flags/create-flag";
import { updateFlagConfig } from "@/lib/flags/update-flag-config";
import { createProject } from "@/lib/projects/create-project";
import { createFlagBodySchema } from "@/lib/schemas/flag";
import { flagConfigSchema } from "@/lib/schemas/flag-config";
import { toSwitchyardFlag } from "../evaluation/switchyard";
import { COUNTRIES, PLANS, type Workload } from "../evaluation/workloads";

export const BENCH_PROJECT = "bench";
/** A default environment whose policy applies changes at once (production requires review). */
export const BENCH_ENVIRONMENT = "development";

const SYSTEM = { type: "system", name: "bench-http" } as const;

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
  const { prisma } = getDatabase(config);
  try {
    const project = await createProject(SYSTEM, { key: BENCH_PROJECT, name: "HTTP benchmark", description: "W1: 100 boolean flags (bench/http)." });
    const environment = project.environments.find((env) => env.key === BENCH_ENVIRONMENT);
    if (!environment || environment.requireReview) throw new Error(`environment ${BENCH_ENVIRONMENT} is missing or requires review`);
    await prisma.attribute.createMany({
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

    const access = await requireProjectPermission(SYSTEM, project.key, "flags:write");
    for (const flag of workload.flags.map(toSwitchyardFlag)) {
      const body = createFlagBodySchema.parse({
        key: flag.key,
        name: flag.key,
        kind: flag.kind,
        valueType: flag.valueType,
        variations: flag.variations,
        clientVisible: true,
      });
      await createFlag(access, body);
      const { version: _version, ...flagConfig } = flag.config;
      await updateFlagConfig(access, {
        environmentKey: environment.key,
        flagKey: flag.key,
        config: flagConfigSchema.parse(flagConfig),
        expectedVersion: 1,
        reason: "bench:http setup",
      });
    }
    await ensureInitAdminToken(adminToken);
    return { projectKey: project.key, environmentKey: environment.key, environmentId: environment.id, flags: workload.flags.length, migrations: applied.length };
  } finally {
    await closePrisma();
  }
}
