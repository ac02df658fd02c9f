import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * PGlite does not lock its data directory: a second process can open it, write rows the first
 * never sees, and delete `postmaster.pid` on close. So every opener (the server, migrations, the
 * seed) takes this lock first: a file created exclusively, holding the owner's pid.
 *
 * A lock whose owner is dead is stale (after SIGKILL or a crash) and is taken over. "Dead" is
 * decided by the pid, and where /proc exists also by the process start time and the boot id, so a
 * recycled pid (common in containers) does not keep a stale lock alive. A lock written on another
 * host cannot be checked and is respected.
 *
 * Within one process the lock is re-entrant (a counter kept on globalThis, which survives Next's
 * module reloading), so migrations can run while the app's client holds it.
 */

export const LOCK_FILE_NAME = "switchyard.lock";

export interface LockOwner {
  pid: number;
  hostname?: string;
  bootId?: string;
  startTime?: string;
  purpose?: string;
  createdAt?: string;
}

export class DataDirLockedError extends Error {
  readonly code = "DATA_DIR_LOCKED";
  constructor(
    readonly lockPath: string,
    readonly owner: LockOwner,
  ) {
    super(
      `The data directory ${path.dirname(lockPath)} is in use by process ${owner.pid}` +
        `${owner.hostname && owner.hostname !== os.hostname() ? ` on ${owner.hostname}` : ""}` +
        `${owner.purpose ? ` (${owner.purpose})` : ""}. ` +
        "The embedded database allows one process at a time: stop that process first, or point " +
        "SWITCHYARD_DATA_DIR elsewhere. If no such process exists, delete " +
        `${lockPath}.`,
    );
    this.name = "DataDirLockedError";
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Releases this holder's share; the file goes when the last holder in the process releases. */
  release(): void;
}

interface HeldLock {
  count: number;
  content: string;
}

const registryKey = Symbol.for("switchyard.dataDirLocks");
function heldLocks(): Map<string, HeldLock> {
  const g = globalThis as { [registryKey]?: Map<string, HeldLock> };
  g[registryKey] ??= new Map();
  return g[registryKey];
}

function readProc(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

/** Start time of a process in clock ticks since boot (field 22 of /proc/<pid>/stat). */
function processStartTime(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (!stat) return undefined;
  // The command name (field 2) may contain spaces and parentheses: split after its last ')'.
  const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return rest[19]; // field 22 overall = index 19 after pid and comm
}

/** A zombie (killed, not yet reaped by its parent) holds nothing: it counts as dead. */
function isZombie(pid: number): boolean {
  const stat = readProc(`/proc/${pid}/stat`);
  return stat !== undefined && stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
}

function bootId(): string | undefined {
  return readProc("/proc/sys/kernel/random/boot_id")?.trim();
}

function currentOwner(purpose?: string): LockOwner {
  return {
    pid: process.pid,
    hostname: os.hostname(),
    bootId: bootId(),
    startTime: processStartTime(process.pid),
    purpose,
    createdAt: new Date().toISOString(),
  };
}

/** First line: the pid (so `cat` and `kill $(head -1 …)` work); then key=value lines. */
function serialise(owner: LockOwner): string {
  const lines = [String(owner.pid)];
  for (const key of ["hostname", "bootId", "startTime", "purpose", "createdAt"] as const) {
    const value = owner[key];
    if (value) lines.push(`${key}=${value.replace(/\s+/g, " ")}`);
  }
  return lines.join("\n") + "\n";
}

function parse(content: string): LockOwner | undefined {
  const [first, ...rest] = content.split("\n");
  const pid = Number.parseInt(first ?? "", 10);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const owner: LockOwner = { pid };
  for (const line of rest) {
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === "hostname" || key === "bootId" || key === "startTime" || key === "purpose" || key === "createdAt") {
      owner[key] = value;
    }
  }
  return owner;
}

function pidIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether the lock's owner may still be alive (when in doubt: yes). */
export function lockOwnerIsAlive(owner: LockOwner): boolean {
  if (owner.hostname && owner.hostname !== os.hostname()) return true;
  const currentBoot = bootId();
  if (owner.bootId && currentBoot && owner.bootId !== currentBoot) return false;
  if (!pidIsRunning(owner.pid) || isZombie(owner.pid)) return false;
  if (owner.startTime) {
    const startTime = processStartTime(owner.pid);
    if (startTime && startTime !== owner.startTime) return false; // the pid was recycled
  }
  return true;
}

/** The current owner of a data directory's lock, or undefined when it is free or stale. */
export function readDataDirLock(dataDir: string): LockOwner | undefined {
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);
  let content: string;
  try {
    content = fs.readFileSync(lockPath, "utf8");
  } catch {
    return undefined;
  }
  const owner = parse(content);
  return owner && lockOwnerIsAlive(owner) ? owner : undefined;
}

function tryCreate(lockPath: string, content: string): boolean {
  try {
    fs.writeFileSync(lockPath, content, { flag: "wx", mode: 0o644 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

/**
 * Removes a stale lock. Two processes may find the same stale lock at once; the one that creates
 * the `.break` file does the removal, after re-reading the lock so it never removes a fresh one.
 */
function breakStaleLock(lockPath: string, staleContent: string): void {
  const breakPath = `${lockPath}.break`;
  if (!tryCreate(breakPath, String(process.pid))) {
    // Someone else is breaking it (or crashed doing so: the break file is seconds old at most).
    try {
      const age = Date.now() - fs.statSync(breakPath).mtimeMs;
      if (age > 10_000) fs.rmSync(breakPath, { force: true });
    } catch {
      // gone already
    }
    return;
  }
  try {
    let current: string | undefined;
    try {
      current = fs.readFileSync(lockPath, "utf8");
    } catch {
      current = undefined;
    }
    if (current === staleContent) fs.rmSync(lockPath, { force: true });
  } finally {
    fs.rmSync(breakPath, { force: true });
  }
}

const exitHookKey = Symbol.for("switchyard.dataDirLocks.exitHook");

/** On a normal exit, remove locks this process still holds (signals and crashes leave stale ones). */
function installExitHook(): void {
  const g = globalThis as { [exitHookKey]?: boolean };
  if (g[exitHookKey]) return;
  g[exitHookKey] = true;
  process.once("exit", () => {
    for (const [lockPath, held] of heldLocks()) {
      try {
        if (fs.readFileSync(lockPath, "utf8") === held.content) fs.rmSync(lockPath, { force: true });
      } catch {
        // nothing to clean
      }
    }
  });
}

/**
 * Takes the data directory's lock (creating the directory if needed) or throws DataDirLockedError.
 * `purpose` is recorded in the file for the error message of the next opener ("server", "migrate").
 */
export function acquireDataDirLock(dataDir: string, purpose?: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(path.resolve(dataDir), LOCK_FILE_NAME);
  const held = heldLocks().get(lockPath);
  if (held) {
    held.count += 1;
    return handle(lockPath);
  }

  const content = serialise(currentOwner(purpose));
  for (let attempt = 0; attempt < 5; attempt++) {
    if (tryCreate(lockPath, content)) {
      heldLocks().set(lockPath, { count: 1, content });
      installExitHook();
      return handle(lockPath);
    }
    let existing: string;
    try {
      existing = fs.readFileSync(lockPath, "utf8");
    } catch {
      continue; // released between our attempts
    }
    const owner = parse(existing);
    // A file being written right now can be empty for an instant: give it a moment.
    if (!owner && existing.length === 0 && attempt < 2) {
      sleepSync(20);
      continue;
    }
    if (owner && lockOwnerIsAlive(owner)) throw new DataDirLockedError(lockPath, owner);
    breakStaleLock(lockPath, existing);
  }
  const owner = parse(readProc(lockPath) ?? "") ?? { pid: 0 };
  throw new DataDirLockedError(lockPath, owner);
}

function handle(lockPath: string): DataDirLock {
  let released = false;
  return {
    path: lockPath,
    release() {
      if (released) return;
      released = true;
      const held = heldLocks().get(lockPath);
      if (!held) return;
      held.count -= 1;
      if (held.count > 0) return;
      heldLocks().delete(lockPath);
      try {
        // Only remove the file if it is still ours.
        if (fs.readFileSync(lockPath, "utf8") === held.content) fs.rmSync(lockPath, { force: true });
      } catch {
        // already gone
      }
    },
  };
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
