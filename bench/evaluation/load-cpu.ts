/**
 * Load cost in CPU time as well as wall time, in a fresh process (contention distorts CPU time
 * less than wall time):
 *
 *   node --expose-gc --import tsx bench/evaluation/load-cpu.ts <engine> <flagCount>
 *
 * Like load-child.ts it builds and serialises `flagCount` W2 flags untimed, then times
 * `adapter.load`. For Switchyard (transpiled engine) it also splits the load into `JSON.parse`
 * and `compilePackedSnapshot`. Prints one JSON line. CPU time includes V8's helper threads (GC, JIT).
 */
import { importCompiledEngine } from "./compiled-engine";
import { ADAPTERS } from "./engines";
import { createSwitchyardAdapter } from "./switchyard";
import type { EngineId } from "./adapter";
import { buildW2 } from "./workloads";

declare const gc: (() => void) | undefined;

function cpuMs(from: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

async function main() {
  const [id, countArg] = process.argv.slice(2);
  const flagCount = Number(countArg);
  const engine = id === "switchyard" ? await importCompiledEngine() : null;
  if (engine) ADAPTERS.switchyard = createSwitchyardAdapter(engine);
  const adapter = ADAPTERS[id as EngineId];
  if (!adapter) throw new Error(`unknown engine ${id}`);
  const payload = adapter.serialize(buildW2(flagCount));
  const input = adapter.stage ? adapter.stage(payload) : payload;
  if (typeof gc === "function") {
    gc();
    gc();
  }
  const out: Record<string, unknown> = { engine: id, flagCount };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  if (engine) {
    const parsed = JSON.parse(input);
    out.parseCpuMs = cpuMs(c0);
    const c1 = process.cpuUsage();
    const snapshot = engine.compilePackedSnapshot(parsed);
    out.compileCpuMs = cpuMs(c1);
    out.flags = snapshot.flags.size;
  } else {
    await adapter.load(input, { name: "W2" });
  }
  out.loadMs = performance.now() - t0;
  out.loadCpuMs = cpuMs(c0);
  console.log(JSON.stringify(out));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
