/**
 * The stale flags report: every flag stale in some environment, with why per environment, from the
 * same staleness the flags list shows; and its CSV.
 */
import { beforeAll, expect, test } from "vitest";
import { requireProjectPermission } from "@/lib/auth/access";
import { getPrisma } from "@/lib/db";
import { loadStaleFlagsReport, staleFlagsCsv } from "@/lib/flags/stale-flags-report";
import { withAppDatabase } from "./helpers/app-database";
import { createProjectFixture, insertBooleanFlag, type ProjectFixture } from "./helpers/fixtures";

withAppDatabase();

let fx: ProjectFixture;
const LIVE = { on: true, offVariation: "off", targets: [], rules: [{ id: "r", clauses: [{ attribute: "plan", op: "in", values: ["pro"] }], serve: { variation: "on" } }], fallthrough: { variation: "off" }, prerequisites: [] };

beforeAll(async () => {
  fx = await createProjectFixture("stale");
  const environments = await getPrisma().environment.findMany({ where: { projectId: fx.projectId } });
  const everywhere = Object.fromEntries(environments.map((e) => [e.id, LIVE]));
  await insertBooleanFlag(fx.projectId, "=old-banner", everywhere);
  await insertBooleanFlag(fx.projectId, "fresh-feature", everywhere);
  await getPrisma().flag.update({ where: { projectId_key: { projectId: fx.projectId, key: "=old-banner" } }, data: { expiresAt: new Date(Date.now() - 3 * 86_400_000) } });
});

test("an expired flag is listed with its reason in every environment; a fresh one is not", async () => {
  const access = await requireProjectPermission(fx.byRole.viewer.user, fx.projectKey, "project:read");
  const { flags, truncated } = await loadStaleFlagsReport(access);
  expect(truncated).toBe(false);
  const expired = flags.find((f) => f.key === "=old-banner");
  expect(expired?.staleIn.map((s) => s.environmentKey).sort()).toEqual(["development", "production", "staging"]);
  expect(expired?.staleIn.every((s) => s.reasons.includes("past its expiry date"))).toBe(true);
  expect(flags.map((f) => f.key)).not.toContain("fresh-feature");
  // Stale in more environments sorts first.
  expect(flags[0].staleIn.length).toBeGreaterThanOrEqual(flags[flags.length - 1].staleIn.length);

  const csv = staleFlagsCsv(flags);
  const [header, ...rows] = csv.trimEnd().split("\r\n");
  expect(header).toBe("flag,name,owner,lifecycle,expires,last change,stale in,reasons");
  // A key that a spreadsheet would run as a formula is defused.
  expect(rows.find((r) => r.startsWith("'=old-banner"))).toContain("past its expiry date");
});
