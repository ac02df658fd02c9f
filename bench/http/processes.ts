/**
 * Child processes of the benchmark: each is started in its own process group, so stopping it
 * also stops whatever it started (npx, next's workers), and every one still running is killed when
 * this process exits for any reason: normal end, an error, Ctrl-C or SIGTERM.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import net from "node:net";

export interface Child {
  name: string;
  process: ChildProcess;
  /** Where its stdout and stderr go. */
  logFile: string;
  /** Resolves with the exit code (or signal) when the process ends. */
  exited: Promise<string>;
}

const running = new Set<Child>();

function killGroup(child: Child, signal: NodeJS.Signals): void {
  const pid = child.process.pid;
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** Synchronous: also usable from the `exit` handler. */
export function killAllChildren(): void {
  for (const child of running) killGroup(child, "SIGKILL");
  running.clear();
}

let installed = false;
/** Kills every child on exit, Ctrl-C, SIGTERM, and uncaught errors (which are then reported). */
export function installCleanup(onSignal?: () => Promise<void>): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAllChildren);
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.once(signal, () => {
      console.error(`\nbench:http: ${signal}, stopping everything…`);
      const done = () => {
        killAllChildren();
        process.exit(130);
      };
      // Give async cleanup (dropping the PostgreSQL database) a few seconds, no more.
      const timer = setTimeout(done, 5_000);
      void (onSignal?.() ?? Promise.resolve()).catch(() => undefined).finally(() => {
        clearTimeout(timer);
        done();
      });
    });
  }
}

export function startChild(
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; logFile: string; cwd?: string },
): Child {
  const log = createWriteStream(options.logFile, { flags: "a" });
  const proc = spawn(command, args, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? process.env,
    detached: true, // its own process group: kill(-pid) reaches its descendants
    stdio: ["ignore", "pipe", "pipe"],
  });
  proc.stdout?.pipe(log);
  proc.stderr?.pipe(log);
  const child: Child = {
    name,
    process: proc,
    logFile: options.logFile,
    exited: new Promise((resolve) => {
      proc.on("exit", (code, signal) => {
        running.delete(child);
        resolve(signal ?? String(code));
      });
      proc.on("error", (error) => {
        running.delete(child);
        resolve(`spawn error: ${error.message}`);
      });
    }),
  };
  running.add(child);
  return child;
}

/** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the process has exited. */
export async function stopChild(child: Child, graceMs = 5_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), graceMs);
  await child.exited;
  clearTimeout(timer);
  // next start may leave workers behind in the group; make sure none survive.
  killGroup(child, "SIGKILL");
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 2xx; fails early when the child exits. */
export async function waitForHttp(url: string, child: Child, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | null = null;
  void child.exited.then((code) => (exited = code));
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`${child.name} exited (${exited}) before it was ready; see ${child.logFile}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${child.name} did not answer ${url} within ${timeoutMs / 1000} s; see ${child.logFile}`);
}
