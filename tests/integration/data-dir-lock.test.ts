import { type ChildProcess, execFile, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { closePrisma, getDatabase } from "@/lib/db/client";
import { DataDirLockedError, LOCK_FILE_NAME, acquireDataDirLock, readDataDirLock } from "@/lib/db/data-dir-lock";
import { migrateDatabase } from "@/lib/db/migrate";
import { openDatabase } from "@/lib/db/open-database";
import { seedDemo } from "@/prisma/seed";

// The lock guards PGlite data directories; it does not depend on TEST_DB_KIND and runs in both runs.

const CHILD = path.resolve("tests/integration/helpers/lock-child.ts");
const run = promisify(execFile);
const dirs: string[] = [];
const children: ChildProcess[] = [];

afterEach(async () => {
  await closePrisma();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function tempDataDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "switchyard-lock-"));
  dirs.push(dir);
  return dir;
}

/** Runs the child in `try`/`open` mode: 0 = it got the lock, 3 = refused. */
async function childAttempt(mode: "try" | "open", dataDir: string): Promise<{ code: number; stderr: string }> {
  try {
    const { stderr } = await run(process.execPath, ["--import", "tsx", CHILD, mode, dataDir], { timeout: 60_000 });
    return { code: 0, stderr };
  } catch (error) {
    const e = error as { code?: number; stderr?: string };
    return { code: e.code ?? -1, stderr: e.stderr ?? "" };
  }
}

/** A child that holds the lock until killed. */
async function childHolder(dataDir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD, "hold", dataDir], { stdio: ["pipe", "pipe", "pipe"] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    let out = "";
    let err = "";
    child.stdout!.on("data", (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes("LOCKED")) resolve();
    });
    child.stderr!.on("data", (chunk: Buffer) => (err += chunk.toString()));
    child.on("exit", (code) => reject(new Error(`lock holder exited with ${code}: ${err}`)));
  });
  return child;
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  const pid = child.pid!;
  await new Promise((resolve) => child.on("exit", resolve));
  return pid;
}

const lockFile = (dir: string) => path.join(dir, LOCK_FILE_NAME);

describe("data-directory lock", () => {
  test("the lock file holds our pid; another process is refused until we release it", async () => {
    const dir = tempDataDir();
    const lock = acquireDataDirLock(dir, "test");
    expect(fs.readFileSync(lockFile(dir), "utf8").split("\n")[0]).toBe(String(process.pid));
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);

    const refused = await childAttempt("try", dir);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toContain(`in use by process ${process.pid}`);

    lock.release();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
    expect((await childAttempt("try", dir)).code).toBe(0);
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  test("while another process holds it, the client, migrations and opening all refuse; after SIGKILL it is stale", async () => {
    const dir = tempDataDir();
    const holder = await childHolder(dir);

    expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
    try {
      acquireDataDirLock(dir);
    } catch (error) {
      expect((error as DataDirLockedError).owner.pid).toBe(holder.pid);
      expect((error as DataDirLockedError).message).toContain("lock test holder");
    }
    expect(() => openDatabase({ kind: "pglite", dataDir: dir })).toThrow(DataDirLockedError);
    expect(() => getDatabase({ kind: "pglite", dataDir: dir })).toThrow(DataDirLockedError);
    await expect(migrateDatabase({ kind: "pglite", dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
    // Nothing was opened: PGlite never touched the directory.
    expect(fs.existsSync(path.join(dir, "pglite"))).toBe(false);

    // SIGKILL leaves the file behind with a dead pid: the next opener takes over.
    holder.kill("SIGKILL");
    await new Promise((resolve) => holder.on("exit", resolve));
    expect(fs.existsSync(lockFile(dir))).toBe(true);
    expect(readDataDirLock(dir)).toBeUndefined();
    const lock = acquireDataDirLock(dir);
    expect(readDataDirLock(dir)?.pid).toBe(process.pid);
    lock.release();
  });

  test("a lock whose pid is dead is stale and taken over", async () => {
    const dir = tempDataDir();
    const pid = await deadPid();
    fs.writeFileSync(lockFile(dir), `${pid}\n`);
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(lockFile(dir), "utf8").split("\n")[0]).toBe(String(process.pid));
    lock.release();
  });

  test("a recycled pid (same pid, different process start time) does not keep a lock alive", () => {
    const dir = tempDataDir();
    // Our own pid, but written by "another process" that started at a different time.
    fs.writeFileSync(lockFile(dir), `${process.pid}\nstartTime=1\n`);
    const lock = acquireDataDirLock(dir);
    expect(fs.readFileSync(lockFile(dir), "utf8")).not.toContain("startTime=1\n");
    lock.release();
  });

  test("a lock written on another host is respected", () => {
    const dir = tempDataDir();
    // Our own pid is certainly alive here, but a pid from another host says nothing about it.
    fs.writeFileSync(lockFile(dir), `${process.pid}\nhostname=some-other-host\n`);
    expect(() => acquireDataDirLock(dir)).toThrow(/on some-other-host/);
  });

  test("re-entrant within the process: the file goes when the last holder releases", () => {
    const dir = tempDataDir();
    const a = acquireDataDirLock(dir);
    const b = acquireDataDirLock(dir);
    a.release();
    a.release(); // idempotent
    expect(fs.existsSync(lockFile(dir))).toBe(true);
    b.release();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
  });

  test("the app's client, migrations and the seed share one PGlite in a process and release the lock together", async () => {
    const dir = tempDataDir();
    await migrateDatabase({ kind: "pglite", dataDir: dir });
    expect(fs.existsSync(lockFile(dir))).toBe(false);

    const { prisma, handle } = getDatabase({ kind: "pglite", dataDir: dir });
    // Migrations while the client is open reuse its PGlite instead of opening the directory twice.
    expect((await migrateDatabase({ kind: "pglite", dataDir: dir })).applied).toEqual([]);
    expect(handle.pglite!.closed).toBe(false);
    expect((await seedDemo(prisma, { env: {}, bcryptCost: 4 })).seeded).toBe(true);
    expect((await childAttempt("open", dir)).code).toBe(3);

    await closePrisma();
    expect(fs.existsSync(lockFile(dir))).toBe(false);
    expect((await childAttempt("open", dir)).code).toBe(0);
  });
});
