import path from "node:path";

/**
 * Which database the app uses. No `DATABASE_URL`: embedded PostgreSQL (PGlite) in the data
 * directory, one process at a time. `DATABASE_URL=postgres://…`: a real PostgreSQL server, which
 * several app instances may share.
 */
export type DatabaseConfig =
  | { kind: "pglite"; /** Absolute path of SWITCHYARD_DATA_DIR. */ dataDir: string }
  | { kind: "postgres"; url: string };

type Env = Record<string, string | undefined>;

export const DEFAULT_DATA_DIR = ".data";

/** SWITCHYARD_DATA_DIR (default `.data/`), resolved against the working directory. */
export function resolveDataDir(env: Env = process.env): string {
  const dir = env.SWITCHYARD_DATA_DIR?.trim() || DEFAULT_DATA_DIR;
  return path.resolve(dir);
}

export function resolveDatabaseConfig(env: Env = process.env): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (!url) return { kind: "pglite", dataDir: resolveDataDir(env) };
  if (!/^postgres(ql)?:\/\//i.test(url)) {
    throw new Error(
      `DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database); got "${redactUrl(url)}". ` +
        "Leave it unset to use the embedded database in SWITCHYARD_DATA_DIR.",
    );
  }
  return { kind: "postgres", url };
}

/** Where PGlite keeps its files inside the data directory (beside the lock and the secrets). */
export function pgliteDirectory(dataDir: string): string {
  return path.join(dataDir, "pglite");
}

/** For logs: the URL without its password. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]+):[^@]*@/, "//$1:***@");
  }
}

export function describeDatabase(config: DatabaseConfig): string {
  return config.kind === "pglite"
    ? `embedded PostgreSQL (PGlite) in ${config.dataDir}`
    : `PostgreSQL at ${redactUrl(config.url)}`;
}
