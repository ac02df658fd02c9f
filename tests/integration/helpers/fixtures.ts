import bcrypt from "bcryptjs";
import { generateSecret } from "@/lib/auth/tokens";
import { ROLES, type Role } from "@/lib/auth/permissions";
import type { Actor } from "@/lib/auth/actor";
import { getPrisma } from "@/lib/db";
import { createProject } from "@/lib/projects/create-project";

export interface RoleFixture {
  role: Role;
  user: Extract<Actor, { type: "user" }>;
  /** A service token with this role, scoped to the project. */
  serviceToken: string;
}

export interface ProjectFixture {
  projectKey: string;
  projectId: string;
  byRole: Record<Role, RoleFixture>;
  /** A member with no special standing, for member-management inputs. */
  bystander: { userId: string; email: string };
  /** An unscoped admin service token (may create projects). */
  rootToken: string;
}

let counter = 0;
const SYSTEM: Actor = { type: "system", name: "test-fixture" };

/** A project with one member per role, service tokens per role, and a spare member. */
export async function createProjectFixture(label = "acme"): Promise<ProjectFixture> {
  const prisma = getPrisma();
  const suffix = `${Date.now().toString(36)}-${counter++}`;
  const projectKey = `${label}-${suffix}`;
  const project = await createProject(SYSTEM, { key: projectKey, name: `Project ${label}`, description: "" });
  const passwordHash = await bcrypt.hash("correct horse", 4);
  const byRole = {} as Record<Role, RoleFixture>;
  for (const role of ROLES) {
    const email = `${role}-${suffix}@example.test`;
    const user = await prisma.user.create({ data: { email, name: `${role} ${suffix}`, passwordHash } });
    await prisma.membership.create({ data: { userId: user.id, projectId: project.id, role } });
    const token = generateSecret("api");
    await prisma.apiToken.create({
      data: { name: `${role} service`, prefix: token.prefix, tokenHash: token.hash, role, projectId: project.id },
    });
    byRole[role] = { role, user: { type: "user", userId: user.id, email, name: user.name }, serviceToken: token.secret };
  }
  const bystanderUser = await prisma.user.create({ data: { email: `bystander-${suffix}@example.test`, name: "Bystander", passwordHash } });
  await prisma.membership.create({ data: { userId: bystanderUser.id, projectId: project.id, role: "viewer" } });
  await prisma.attribute.createMany({
    data: [
      { projectId: project.id, key: "plan", type: "string", allowedValues: ["free", "pro", "enterprise"], dashboardDimension: true },
      { projectId: project.id, key: "country", type: "string", dashboardDimension: true },
      { projectId: project.id, key: "email", type: "string", sensitivity: "private" },
    ],
  });
  const environments = await prisma.environment.findMany({ where: { projectId: project.id } });
  await prisma.flag.create({
    data: {
      projectId: project.id,
      key: "checkout",
      name: "Checkout",
      kind: "release",
      valueType: "boolean",
      variations: [
        { key: "on", value: true },
        { key: "off", value: false },
      ],
      configs: {
        create: environments.map((env) => ({
          environmentId: env.id,
          config: { on: true, offVariation: "off", targets: [], rules: [], fallthrough: { variation: "off" }, prerequisites: [] },
        })),
      },
    },
  });
  const root = generateSecret("api");
  await prisma.apiToken.create({ data: { name: "root", prefix: root.prefix, tokenHash: root.hash, role: "admin", projectId: null } });
  return {
    projectKey,
    projectId: project.id,
    byRole,
    bystander: { userId: bystanderUser.id, email: bystanderUser.email },
    rootToken: root.secret,
  };
}

/**
 * A boolean flag (`on`/`off`) inserted directly with a configuration per environment id and its
 * version-1 revision — for environments that refuse direct saves (review required).
 */
export async function insertBooleanFlag(projectId: string, key: string, configs: Record<string, object>, kind: "release" | "operational" = "release") {
  const entries = Object.entries(configs);
  await getPrisma().flag.create({
    data: {
      projectId,
      key,
      name: key,
      kind,
      valueType: "boolean",
      variations: [
        { key: "on", value: true },
        { key: "off", value: false },
      ],
      configs: { create: entries.map(([environmentId, config]) => ({ environmentId, config })) },
      revisions: { create: entries.map(([environmentId, config]) => ({ environmentId, version: 1, config, actorType: "system", actorLabel: "fixture" })) },
    },
  });
}

/** Calls a Next route handler the way Next does, with a real Request. */
export async function callRoute<P>(
  handler: (request: Request, context: { params: Promise<P> }) => Promise<Response>,
  init: { method: string; path: string; token?: string; body?: unknown; rawBody?: string; params?: P },
) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const body = init.rawBody ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const request = new Request(`http://localhost${init.path}`, { method: init.method, headers, body });
  const response = await handler(request, { params: Promise.resolve((init.params ?? {}) as P) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** Row counts that a refused mutation must leave unchanged. */
export async function mutableState(projectId: string) {
  const prisma = getPrisma();
  const [configVersions, flags, segments, segmentVersions, sdkKeys, revokedSdkKeys, projects, memberships, tokens, revoked, roles, testCases, attributes, overrides] = await Promise.all([
    prisma.flagEnvironmentConfig.findMany({ where: { flag: { projectId } }, select: { id: true, version: true }, orderBy: { id: "asc" } }),
    prisma.flag.findMany({ where: { projectId }, select: { key: true, lifecycle: true, updatedAt: true }, orderBy: { key: "asc" } }),
    prisma.segment.findMany({ where: { projectId }, select: { key: true, updatedAt: true }, orderBy: { key: "asc" } }),
    prisma.segmentEnvironmentConfig.findMany({ where: { segment: { projectId } }, select: { id: true, version: true }, orderBy: { id: "asc" } }),
    prisma.sdkKey.count(),
    prisma.sdkKey.count({ where: { revokedAt: { not: null } } }),
    prisma.project.count(),
    prisma.membership.count({ where: { projectId } }),
    prisma.apiToken.count(),
    prisma.apiToken.count({ where: { revokedAt: { not: null } } }),
    prisma.membership.findMany({ where: { projectId }, select: { userId: true, role: true }, orderBy: { userId: "asc" } }),
    prisma.flagTestCase.findMany({ where: { flag: { projectId } }, select: { id: true, name: true, updatedAt: true }, orderBy: { id: "asc" } }),
    prisma.attribute.findMany({ where: { projectId }, select: { key: true, updatedAt: true }, orderBy: { key: "asc" } }),
    prisma.emergencyOverride.findMany({ where: { flag: { projectId } }, select: { id: true, acknowledgedAt: true, reviewedAt: true }, orderBy: { id: "asc" } }),
  ]);
  return { configVersions, flags, segments, segmentVersions, sdkKeys, revokedSdkKeys, projects, memberships, tokens, revoked, roles, testCases, attributes, overrides };
}
