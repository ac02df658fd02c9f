import path from "node:path";
import { defineConfig } from "vitest/config";

// Two projects: `unit` is pure (engine, schemas, helpers); `integration` talks to a real
// database and runs once per database kind (see scripts/test-all.ts).
export default defineConfig({
  resolve: { alias: { "@": path.resolve(import.meta.dirname) } },
  test: {
    projects: [
      {
        extends: true,
        // Property tests and simulations do fixed work; on a shared 2-core machine that can take
        // several times longer than on a quiet one, so the limit only catches hangs.
        test: { name: "unit", include: ["lib/**/*.test.ts", "bench/**/*.test.ts", "components/**/*.test.ts"], environment: "node", testTimeout: 30_000 },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
