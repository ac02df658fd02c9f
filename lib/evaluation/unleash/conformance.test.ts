import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { OUT_OF_SCOPE_FILES, RANDOMNESS_EXCEPTIONS, runSpecFile, type SpecFile } from "./conformance-runner";

const require = createRequire(import.meta.url);
const specDir = path.join(path.dirname(require.resolve("@unleash/client-specification/package.json")), "specifications");
const files = (JSON.parse(readFileSync(path.join(specDir, "index.json"), "utf8")) as string[]).filter(
  (f) => !(f in OUT_OF_SCOPE_FILES),
);

describe("Unleash client specification (importUnleash + evaluate)", () => {
  it("covers every specification file in the package", () => {
    const onDisk = readdirSync(specDir).filter((f) => /^\d+-.*\.json$/.test(f));
    expect(onDisk.filter((f) => !(f in OUT_OF_SCOPE_FILES)).sort()).toEqual([...files].sort());
  });

  it("lists exceptions only for cases that exist", () => {
    const all = new Set<string>();
    for (const f of files) {
      const spec = JSON.parse(readFileSync(path.join(specDir, f), "utf8")) as SpecFile;
      for (const t of [...(spec.tests ?? []), ...(spec.variantTests ?? [])]) all.add(`${f} :: ${t.description}`);
    }
    for (const k of Object.keys(RANDOMNESS_EXCEPTIONS)) expect(all.has(k), k).toBe(true);
  });

  for (const file of files) {
    const spec = JSON.parse(readFileSync(path.join(specDir, file), "utf8")) as SpecFile;
    describe(file, () => {
      const results = runSpecFile(file, spec);
      it("has no case that depends on randomness unless listed as an exception", () => {
        // Unleash falls back to random stickiness in places; a case whose outcome changes between
        // runs must be listed in RANDOMNESS_EXCEPTIONS with its reason.
        for (let round = 0; round < 20; round++) {
          const again = runSpecFile(file, spec);
          again.forEach((r, i) => {
            if (!r.exception) expect(r.actual, r.description).toEqual(results[i].actual);
          });
        }
      });
      for (const [i, r] of results.entries()) {
        const title = `${r.kind} #${i + 1}: ${r.description}`;
        if (r.exception) {
          it.skip(`${title} (exception: ${r.exception})`, () => {});
          continue;
        }
        it(title, () => {
          expect(r.actual).toEqual(r.expected);
        });
      }
    });
  }
});
