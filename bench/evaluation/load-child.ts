/**
 * One load measurement in a fresh process, so engines cannot see each other's heap:
 *
 *   node --expose-gc --import tsx bench/evaluation/load-child.ts <engine> <flagCount>
 *
 * Builds `flagCount` W2 flags (one shared 1,000-key segment), serialises them to the engine's wire
 * format (untimed), then times `adapter.load` on a cold engine and measures the heap it retains:
 *
 *   retained = heapUsed after load − heapUsed before the workload was built
 *
 * each reading after two forced GCs, the workload and the payload released before the second. The
 * baseline is taken before anything is built because the payload string's own size is not knowable
 * from its length (V8 may hold JSON.stringify's output as a tree of string pieces). For
 * LaunchDarkly the payload is staged to a file first (its file data source reads files). Prints one
 * JSON line.
 *
 * Switchyard is the transpiled engine (compiled-engine.ts) unless SWITCHYARD_ENGINE=source.
 */
import { importCompiledEngine } from "./compiled-engine";
import { ADAPTERS } from "./engines";
import { createSwitchyardAdapter } from "./switchyard";
import type { EngineId } from "./adapter";
import { buildW2 } from "./workloads";

declare const gc: (() => void) | undefined;

function collect(): number {
  if (typeof gc !== "function") throw new Error("run with node --expose-gc");
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function main() {
  const [id, countArg] = process.argv.slice(2);
  if (id === "switchyard" && process.env.SWITCHYARD_ENGINE !== "source") {
    ADAPTERS.switchyard = createSwitchyardAdapter(await importCompiledEngine());
  }
  const adapter = ADAPTERS[id as EngineId];
  if (!adapter) throw new Error(`unknown engine ${id}`);
  const flagCount = Number(countArg);
  const reason = await adapter.unavailableReason();
  if (reason) {
    console.log(JSON.stringify({ engine: id, flagCount, unavailable: reason }));
    return;
  }

  const before = collect();
  let workload: ReturnType<typeof buildW2> | null = buildW2(flagCount);
  const firstKey = workload.flags[0].key;
  let payload: string | null = adapter.serialize(workload);
  const payloadBytes = payload.length;
  workload = null;
  let input: string | null = adapter.stage ? adapter.stage(payload) : payload;
  payload = null;

  collect(); // so that the load does not pay for the serialisation's garbage
  const t0 = performance.now();
  const engine = await adapter.load(input, { name: "W2" });
  const loadMs = performance.now() - t0;
  input = null;
  const after = collect();

  // Use the engine after the reading, so it is certainly alive at it.
  const [ctx] = engine.contexts([
    { key: "user-1", plan: "pro", country: "US", region: "region-001", sessions: 1, appVersion: "1.0.0", path: "/docs/1" },
  ]);
  const value = await engine.evaluate(firstKey, ctx);
  await engine.close();
  console.log(
    JSON.stringify({
      engine: id,
      flagCount,
      payloadBytes,
      loadMs,
      retainedBytes: after - before,
      heapUsedAfter: after,
      sampleValue: value,
    }),
  );
}

main().then(
  () => process.exit(0),
  (error) => {
    console.log(JSON.stringify({ engine: process.argv[2], error: String((error as Error).stack ?? error) }));
    process.exit(1);
  },
);
