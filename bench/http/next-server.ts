/**
 * Switchyard's production server for the benchmark: `next build` when there is no build, then
 * scripts/serve.ts (Next plus the OFREP fast path) on a free port, as `npm start` runs it (minus migrations and seeding, which
 * setup-database.ts did). Started through node directly rather than npx, so `--cpu-prof` can be
 * passed and no wrapper process sits in between.
 */
import { spawnSync } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { type Child, freePort, startChild, waitForHttp } from "./processes";

const NEXT_BIN = path.join("node_modules", "next", "dist", "bin", "next");

export interface BuildInfo {
  buildId: string;
  /** "existing" or how this run built it. */
  how: string;
}

/** Inputs of the build, whose change makes a build stale (tests and docs excluded). */
const SOURCE_DIRS = ["app", "lib", "components", "prisma"];
const SOURCE_FILES = ["next.config.mjs", "proxy.ts", "package.json", "tsconfig.json"];

function newestSource(): { file: string; mtimeMs: number } {
  let newest = { file: "", mtimeMs: 0 };
  const visit = (file: string) => {
    const stat = statSync(file);
    if (stat.isDirectory()) {
      if (path.basename(file) === "generated") return;
      for (const entry of readdirSync(file)) visit(path.join(file, entry));
    } else if (!/\.test\.tsx?$/.test(file) && stat.mtimeMs > newest.mtimeMs) newest = { file, mtimeMs: stat.mtimeMs };
  };
  for (const entry of [...SOURCE_DIRS, ...SOURCE_FILES]) if (existsSync(entry)) visit(entry);
  return newest;
}

/**
 * Builds when `.next/BUILD_ID` is missing, when a source file is newer than it (the benchmark
 * must measure the code in the tree, unlike `npm start`, which keeps any build), or when `force`.
 * Turbopack (Next 16's default) refuses a node_modules
 * that is a symlink to a directory outside the project (as in git worktrees sharing one install);
 * there the build falls back to webpack, and the report says which was used.
 */
export function buildIfNeeded(log: (line: string) => void, force = false): BuildInfo {
  const idFile = path.join(".next", "BUILD_ID");
  if (existsSync(idFile) && !force) {
    const newest = newestSource();
    if (newest.mtimeMs <= statSync(idFile).mtimeMs) return { buildId: readFileSync(idFile, "utf8").trim(), how: "existing build, newer than every source file" };
    log(`${newest.file} is newer than the production build`);
  }
  const linkedOutside =
    lstatSync("node_modules").isSymbolicLink() && !realpathSync("node_modules").startsWith(process.cwd() + path.sep);
  const args = ["build", ...(linkedOutside ? ["--webpack"] : [])];
  log(`building: next ${args.join(" ")} (a minute or two)…`);
  const build = spawnSync(process.execPath, [NEXT_BIN, ...args], {
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
  });
  if (build.status !== 0) throw new Error(`next ${args.join(" ")} failed (exit ${build.status})`);
  return { buildId: readFileSync(idFile, "utf8").trim(), how: `built now with next ${args.join(" ")}` };
}

export interface ServerOptions {
  name: string;
  logFile: string;
  env: Record<string, string>;
  /** Directory for V8 CPU profiles of the server (written when it exits). */
  cpuProfileDir?: string;
}

export interface RunningServer {
  name: string;
  origin: string;
  port: number;
  child: Child;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const nodeArgs = options.cpuProfileDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  // The production server as `npm start` runs it: scripts/serve.ts (Next plus the OFREP fast path).
  const child = startChild(options.name, process.execPath, [...nodeArgs, "--import", "tsx", "scripts/serve.ts"], {
    logFile: options.logFile,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      NEXTAUTH_URL: origin,
      ...options.env,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
    },
  });
  await waitForHttp(`${origin}/api/health`, child, 120_000);
  return { name: options.name, origin, port, child };
}
