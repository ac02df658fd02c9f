import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { appendAuditEvent, recordAuditEvent } from "@/lib/audit/append-audit-event";
import { verifyAuditChain } from "@/lib/audit/hash-chain";
import { closePrisma, getDatabase, getPrisma, isPrismaOpen } from "@/lib/db/client";
import { resolveDatabaseConfig } from "@/lib/db/config";
import { LOCK_FILE_NAME } from "@/lib/db/data-dir-lock";
import { getOrCreateSecret, secretEnvVar } from "@/lib/db/secrets";
import { type TestDatabase, createTestDatabase, rawQuery, testDbKind } from "./helpers/test-database";

const kind = testDbKind();
const run = promisify(execFile);
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await closePrisma();
  await db?.destroy();
});

describe(`database selection on ${kind}`, () => {
  test("no DATABASE_URL selects PGlite in SWITCHYARD_DATA_DIR (default .data); a postgres URL selects PostgreSQL", () => {
    expect(resolveDatabaseConfig({})).toEqual({ kind: "pglite", dataDir: path.resolve(".data") });
    expect(resolveDatabaseConfig({ SWITCHYARD_DATA_DIR: "/srv/sy", DATABASE_URL: " " })).toEqual({ kind: "pglite", dataDir: "/srv/sy" });
    expect(resolveDatabaseConfig({ DATABASE_URL: "postgresql://u:p@db:5432/sy" })).toEqual({
      kind: "postgres",
      url: "postgresql://u:p@db:5432/sy",
    });
    expect(() => resolveDatabaseConfig({ DATABASE_URL: "mysql://u:secret@db/sy" })).toThrow(/PostgreSQL URL.*u:\*\*\*@db/);
  });

  test("getPrisma() opens the configured database once per process; closePrisma() releases it", async () => {
    // The test database is already open (and, for PGlite, locked) by this process through `db`:
    // the app's client shares that PGlite rather than opening the directory a second time.
    const { prisma, handle } = getDatabase(db.config);
    expect(getPrisma()).toBe(prisma);
    expect(isPrismaOpen()).toBe(true);
    if (kind === "pglite") expect(handle.pglite).toBe(db.handle.pglite);
    await prisma.project.create({ data: { key: "via-get-prisma", name: "Via getPrisma" } });
    expect(await db.prisma.project.count({ where: { key: "via-get-prisma" } })).toBe(1);

    await closePrisma();
    expect(isPrismaOpen()).toBe(false);
    // The test's own handle keeps working: only the last holder closes PGlite.
    expect(await db.prisma.project.count()).toBeGreaterThan(0);
    if (kind === "pglite") expect(fs.existsSync(path.join(db.dataDir!, LOCK_FILE_NAME))).toBe(true);
  });
});

describe(`generated secrets on ${kind}`, () => {
  test("the environment variable wins", async () => {
    expect(secretEnvVar("nextauth")).toBe("NEXTAUTH_SECRET");
    expect(secretEnvVar("share-link")).toBe("SHARE_LINK_SECRET");
    expect(await getOrCreateSecret("nextauth", { env: { NEXTAUTH_SECRET: "from-env" }, config: db.config, prisma: db.prisma })).toBe(
      "from-env",
    );
  });

  test("otherwise one is generated once and kept", async () => {
    const options = { env: {}, config: db.config, prisma: db.prisma };
    const first = await getOrCreateSecret("nextauth", options);
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => getOrCreateSecret("nextauth", options)));
    expect(new Set(concurrent)).toEqual(new Set([first]));
    expect(await getOrCreateSecret("other", options)).not.toBe(first);

    if (kind === "pglite") {
      const file = path.join(db.dataDir!, "secrets", "nextauth");
      expect(fs.readFileSync(file, "utf8").trim()).toBe(first);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
      // Another process (the server after the start script) reads the same value from the file.
      const { stdout } = await run(
        process.execPath,
        ["--import", "tsx", "-e", `import("./lib/db/secrets.ts").then(async (m) => console.log(await m.getOrCreateSecret("nextauth")))`],
        { env: { ...process.env, SWITCHYARD_DATA_DIR: db.dataDir!, DATABASE_URL: "", NEXTAUTH_SECRET: "" } },
      );
      expect(stdout.trim()).toBe(first);
    } else {
      // On PostgreSQL instances share the database, not a disk: the secret lives in app_secrets.
      expect(await rawQuery(db, `SELECT value FROM app_secrets WHERE name = 'nextauth'`)).toEqual([{ value: first }]);
    }
  });
});

describe(`audit hash chain on ${kind}`, () => {
  test("concurrent appends form one linear chain, and tampering with a row is detected", async () => {
    const base = {
      actorType: "user" as const,
      actorId: "u1",
      actorLabel: "Eli Editor",
      entityType: "flag",
      projectId: null,
    };
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        recordAuditEvent(db.prisma, {
          ...base,
          action: "flag_config.updated",
          entityKey: `flag-${i}`,
          before: { on: false, nested: { b: 1, a: [1, 2, { z: null, y: "ü" }] } },
          after: { on: true, weight: 0.1 },
          requestMeta: { ip: "10.0.0.1", userAgent: "vitest" },
        }),
      ),
    );
    await db.prisma.$transaction((tx) =>
      appendAuditEvent(tx, { ...base, action: "flag.archived", entityKey: "flag-x", reason: "cleanup" }),
    );
    const events = await db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.length).toBeGreaterThanOrEqual(9);
    expect(verifyAuditChain(events)).toMatchObject({ ok: true, checked: events.length });

    const victim = events[3];
    await rawQuery(db, `UPDATE audit_events SET after = '{"on": false}'::jsonb WHERE id = $1`, [victim.id.toString()]);
    const tampered = await db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(verifyAuditChain(tampered)).toMatchObject({ ok: false, brokenAt: victim.id.toString(), reason: "hash" });

    await rawQuery(db, `DELETE FROM audit_events WHERE id = $1`, [victim.id.toString()]);
    const deleted = await db.prisma.auditEvent.findMany({ orderBy: { id: "asc" } });
    expect(verifyAuditChain(deleted)).toMatchObject({ ok: false, brokenAt: events[4].id.toString(), reason: "prev_hash" });
  });
});
