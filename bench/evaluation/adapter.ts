/**
 * The contract every engine adapter implements, and small helpers they share.
 *
 * An adapter turns the neutral workload into the engine's own wire format (a JSON string, as the
 * engine would receive it from its server or a file), loads it, converts neutral contexts into the
 * engine's context objects, and evaluates through the engine's public API.
 */
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import type { BenchContext, ServedValue, Workload } from "./workloads";

export type EngineId = "switchyard" | "unleash" | "growthbook" | "flagd" | "launchdarkly";

export interface LoadedEngine<Ctx = unknown> {
  /** Neutral contexts → this engine's context objects. Done before timing: not engine work. */
  contexts(neutral: BenchContext[]): Ctx[];
  /** One evaluation through the public API; returns the served value. */
  evaluate(flagKey: string, ctx: Ctx): ServedValue | Promise<ServedValue>;
  /**
   * The timed loop: every flag for every context in [from, to), contexts outer (as a request
   * evaluating its flags). Returns a checksum of the served values so nothing can be optimised
   * away. Each adapter has its own copy of the loop, so no call site is shared between engines.
   */
  run(flagKeys: string[], ctxs: Ctx[], from: number, to: number): number | Promise<number>;
  close(): void | Promise<void>;
}

export interface EngineAdapter<Ctx = unknown> {
  id: EngineId;
  /** npm package (or the repository path for Switchyard). */
  packageName: string;
  /** Why this engine cannot run here, or undefined when it can. */
  unavailableReason(): Promise<string | undefined>;
  /** Neutral workload → the engine's wire payload. */
  serialize(workload: Workload): string;
  /**
   * Untimed preparation of what `load` takes, for engines that read the payload from somewhere
   * else (LaunchDarkly's file data source reads a file). Default: the payload itself.
   */
  stage?(payload: string): string;
  /** Wire payload (or what `stage` made of it) → an engine ready to evaluate. The load benchmark times this. */
  load(payload: string, workload: Pick<Workload, "name">): Promise<LoadedEngine<Ctx>>;
}

/** Checksum contribution of one served value (cheap, and depends on the value). */
export function valueWeight(value: unknown): number {
  if (value === true) return 1;
  if (typeof value === "string") return value.length;
  return 0;
}

const require = createRequire(import.meta.url);

/** Version of an installed package, read from its package.json (exports maps may hide it). */
export function packageVersion(name: string): string {
  try {
    let dir = path.dirname(require.resolve(name));
    for (;;) {
      const file = path.join(dir, "package.json");
      if (fs.existsSync(file)) {
        const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as { name?: string; version?: string };
        if (pkg.name === name) return pkg.version ?? "?";
      }
      const parent = path.dirname(dir);
      if (parent === dir) return "?";
      dir = parent;
    }
  } catch {
    return "not installed";
  }
}
