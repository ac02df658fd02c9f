import fs from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { bindMigrationAwareSqlAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { SchemaEngine } from "@prisma/schema-engine-wasm";

/**
 * Prisma's schema engine compiled to WebAssembly, driven through a driver adapter. It replaces the
 * native engine that `prisma migrate` downloads (unreachable from these machines); it writes the same
 * `_prisma_migrations` bookkeeping, so `prisma migrate deploy` keeps working where the native engine
 * is available. Node-only: never import this from code Next.js bundles.
 *
 * Every engine call leaves timers behind that keep the process alive ~10 s, so CLI scripts end with
 * an explicit `process.exit`.
 */

export type { SchemaEngine } from "@prisma/schema-engine-wasm";
export type {
  DiagnoseMigrationHistoryOutput,
  HistoryDiagnostic,
  MigrationList,
  SchemaFilter,
} from "@prisma/schema-engine-wasm";

let wasmReady: Promise<void> | undefined;

/** Instantiates the wasm module once per process, without Node flags for `.wasm` imports. */
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const require = createRequire(import.meta.url);
    // The package's exports map does not expose the .wasm file: locate it beside its entry point.
    const entry = require.resolve("@prisma/schema-engine-wasm");
    const bytes = await fs.readFile(path.join(path.dirname(entry), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, {
      "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports,
    });
    const exports = instance.exports as unknown as { __wbindgen_start: () => void };
    bg.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
  })();
  return wasmReady;
}

/** The wasm engine's version; must match the `prisma` package's engines hash. */
export async function schemaEngineVersion(): Promise<string> {
  await loadWasm();
  return bg.version();
}

export interface EngineLogLine {
  level?: string;
  message?: string;
  [key: string]: unknown;
}

export interface OpenSchemaEngineOptions {
  /** The Prisma schema text to hand to the engine (optional for migration-only commands). */
  schema?: { path: string; content: string };
  /** Receives the engine's log lines (JSON); default: ignore. */
  onLog?: (line: EngineLogLine) => void;
}

/**
 * Opens a schema engine over a migration-aware adapter factory. Use one of the factories from
 * `migration-adapters.ts`: they work around defects of the stock adapters.
 */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  options: OpenSchemaEngineOptions = {},
): Promise<SchemaEngine> {
  await loadWasm();
  const datamodels: [string, string][] | undefined = options.schema
    ? [[options.schema.path, options.schema.content]]
    : undefined;
  const onLog = options.onLog;
  const log = (raw: string) => {
    if (!onLog) return;
    try {
      onLog(JSON.parse(raw) as EngineLogLine);
    } catch {
      onLog({ message: String(raw) });
    }
  };
  return bg.SchemaEngine.new({ datamodels }, log, bindMigrationAwareSqlAdapterFactory(adapterFactory));
}

/**
 * The engine rejects with plain objects or strings depending on the failure; this turns them into
 * an Error whose message is what a person needs to read (and keeps Prisma's error code, e.g. P3009).
 */
export class SchemaEngineError extends Error {
  readonly code?: string;
  readonly meta?: unknown;
  constructor(message: string, code?: string, meta?: unknown) {
    super(message);
    this.name = "SchemaEngineError";
    this.code = code;
    this.meta = meta;
  }
}

export function toSchemaEngineError(error: unknown): SchemaEngineError {
  if (error instanceof SchemaEngineError) return error;
  if (error instanceof Error) {
    const parsed = tryParseEngineError(error.message);
    if (parsed) return parsed;
    const wrapped = new SchemaEngineError(error.message);
    wrapped.stack = error.stack;
    return wrapped;
  }
  if (typeof error === "string") return tryParseEngineError(error) ?? new SchemaEngineError(error);
  if (error && typeof error === "object") return fromEngineObject(error as Record<string, unknown>);
  return new SchemaEngineError(String(error));
}

function tryParseEngineError(text: string): SchemaEngineError | undefined {
  const trimmed = text.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    return fromEngineObject(JSON.parse(trimmed) as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

function fromEngineObject(obj: Record<string, unknown>): SchemaEngineError {
  // Shapes seen: {error_code, message, meta} (user-facing), {message, backtrace} (panics),
  // {is_panic, message, meta: {full_error}} and driver adapter errors {kind, ...}.
  const code = typeof obj.error_code === "string" ? obj.error_code : undefined;
  const message =
    typeof obj.message === "string"
      ? obj.message
      : typeof obj.kind === "string"
        ? `${obj.kind}: ${JSON.stringify(obj)}`
        : JSON.stringify(obj);
  return new SchemaEngineError(code ? `${code}: ${message}` : message, code, obj.meta);
}

/** Runs an engine call and normalises its failures. */
export async function engineCall<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toSchemaEngineError(error);
  }
}
