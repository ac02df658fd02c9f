/**
 * Switchyard's engine as it ships: lib/evaluation transpiled to plain ES modules with TypeScript
 * (the repository's own compiler), into bench/evaluation/out/engine/ (git-ignored).
 *
 * Why not run the TypeScript source through tsx like the rest of the harness: tsx transpiles with
 * esbuild's `keepNames`, which rewrites every `const f = (…) => …` into `__name((…) => …, "f")`, an
 * `Object.defineProperty` on each closure instance. An engine that compiles flags into closures
 * creates tens of such closures per flag at load, each given its own property store. The peers
 * run their published JavaScript, untouched by tsx, and production builds of Switchyard (Next.js
 * with SWC, or tsc) add no such wrappers; measuring the tsx form would charge Switchyard for the
 * harness's loader. The agreement test (vitest) uses the source; the benchmark uses this output.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { SwitchyardEngine } from "./switchyard";

const here = path.dirname(fileURLToPath(import.meta.url));
const sourceDir = path.resolve(here, "../../lib/evaluation");
export const compiledEngineDir = path.join(here, "out", "engine");

/** Relative import specifiers get the `.mjs` extension Node's ESM loader needs. */
function rewriteSpecifiers(code: string): string {
  return code.replace(/(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.\.?\/[^"']+)\2/g, (_m, lead: string, q: string, spec: string) => {
    const bare = spec.replace(/\.(ts|js|mjs)$/, "");
    return `${lead}${q}${bare}.mjs${q}`;
  });
}

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/** Transpiles lib/evaluation into out/engine (always rewrites, so the output is never stale). */
export async function buildCompiledEngine(): Promise<string> {
  // Loaded here only: the compiler is large, and the load benchmark's children should not carry it.
  const { default: ts } = await import("typescript");
  fs.rmSync(compiledEngineDir, { recursive: true, force: true });
  for (const file of sources(sourceDir)) {
    const { outputText } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.ESNext,
        verbatimModuleSyntax: false,
        isolatedModules: true,
        sourceMap: false,
      },
    });
    const out = path.join(compiledEngineDir, path.relative(sourceDir, file)).replace(/\.ts$/, ".mjs");
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.writeFileSync(out, rewriteSpecifiers(outputText));
  }
  return path.join(compiledEngineDir, "index.mjs");
}

/** True when the output is missing or older than any engine source file. */
function stale(entry: string): boolean {
  if (!fs.existsSync(entry)) return true;
  const built = fs.statSync(entry).mtimeMs;
  return sources(sourceDir).some((file) => fs.statSync(file).mtimeMs > built);
}

/** Imports the transpiled engine, (re)building it first if it is missing or out of date. */
export async function importCompiledEngine(): Promise<SwitchyardEngine> {
  const entry = path.join(compiledEngineDir, "index.mjs");
  if (stale(entry)) await buildCompiledEngine();
  return (await import(pathToFileURL(entry).href)) as SwitchyardEngine;
}
