import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { TestServer } from "./test-server";

/**
 * The SDK's timers are unref'd, so it never holds an application open; but a script awaiting
 * initialisation, a flush or close must not exit under it (Node ends a process whose only pending
 * work is an awaited promise with unref'd timers). Run a real child process to check.
 */
describe("process lifetime", () => {
  it("a script awaiting waitForInitialization and close against a dead server runs to the end, then exits", async () => {
    const server = new TestServer();
    await server.start();
    const url = server.url;
    await server.stop(); // nothing listens: every request fails, the SDK only waits between retries

    const dir = mkdtempSync(join(tmpdir(), "switchyard-sdk-"));
    try {
      const script = join(dir, "script.mts");
      const sdk = resolve(import.meta.dirname, "index.ts");
      writeFileSync(
        script,
        `import { createClient } from ${JSON.stringify(sdk)};
const c = createClient({ baseUrl: ${JSON.stringify(url)}, sdkKey: "k", logger: {}, streamRetryDelayMs: 400, eventsMaxAttempts: 2 });
const r = await c.waitForInitialization(700);
console.log("init", r.initialized, r.status);
c.track("m", { targetingKey: "u" });
await c.flush();
console.log("flushed", c.eventStats().queued);
await c.close();
console.log("closed", c.status);
`,
      );
      const t0 = Date.now();
      const run = spawnSync(process.execPath, ["--import", "tsx", script], { encoding: "utf8", timeout: 20_000, cwd: resolve(import.meta.dirname, "../..") });
      expect(run.stderr).toBe("");
      expect(run.stdout.trim().split("\n")).toEqual(["init false initializing", "flushed 1", "closed closed"]);
      expect(run.status).toBe(0);
      expect(Date.now() - t0).toBeLessThan(15_000);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
