import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getPrisma } from "./client";
import { type DatabaseConfig, resolveDatabaseConfig } from "./config";
import type { PrismaClient } from "./generated/client";

/**
 * Secrets the app needs but nobody should have to configure (the next-auth secret, share-link
 * signing key…), generated once and kept:
 *
 * - an environment variable always wins: `<NAME>_SECRET` (getOrCreateSecret("nextauth") reads
 *   NEXTAUTH_SECRET);
 * - embedded database (PGlite): a file `<SWITCHYARD_DATA_DIR>/secrets/<name>`, mode 600, beside
 *   the database it belongs to. Files need no database lock, so the start script can read it
 *   while nothing else runs and the server can read it later;
 * - PostgreSQL: the `app_secrets` table, because several instances share the database but not a
 *   disk, and they must all sign and verify sessions with the same key.
 *
 * Creation is race-free in both places: the first writer wins and everyone reads its value.
 */

type Env = Record<string, string | undefined>;

export interface SecretOptions {
  env?: Env;
  config?: DatabaseConfig;
  /** For PostgreSQL; default the process-wide client. */
  prisma?: PrismaClient;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/** `nextauth` → `NEXTAUTH_SECRET`, `share-link` → `SHARE_LINK_SECRET`. */
export function secretEnvVar(name: string): string {
  return `${name.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_SECRET`;
}

function generate(): string {
  return randomBytes(32).toString("base64url");
}

export async function getOrCreateSecret(name: string, options: SecretOptions = {}): Promise<string> {
  if (!NAME.test(name)) throw new Error(`Invalid secret name "${name}" (lowercase letters, digits, - and _).`);
  const fromEnv = (options.env ?? process.env)[secretEnvVar(name)]?.trim();
  if (fromEnv) return fromEnv;

  const config = options.config ?? resolveDatabaseConfig(options.env ?? process.env);
  if (config.kind === "pglite") return fileSecret(path.join(config.dataDir, "secrets"), name);
  return tableSecret(options.prisma ?? getPrisma(), name);
}

function fileSecret(dir: string, name: string): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, name);
  const existing = readSecretFile(file);
  if (existing) return existing;

  // Write a private temp file, then link it into place: link fails if the name exists, so a
  // concurrent creator's value is never overwritten and nobody reads a half-written file.
  const temp = path.join(dir, `.${name}.${process.pid}.${randomBytes(4).toString("hex")}`);
  fs.writeFileSync(temp, generate() + "\n", { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
  const value = readSecretFile(file);
  if (!value) throw new Error(`Secret file ${file} is empty; delete it to generate a new secret.`);
  return value;
}

function readSecretFile(file: string): string | undefined {
  let content: string;
  try {
    content = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  // Keep it private even if someone loosened the mode.
  if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);
  return content.trim() || undefined;
}

async function tableSecret(prisma: PrismaClient, name: string): Promise<string> {
  await prisma.$executeRaw`INSERT INTO app_secrets (name, value) VALUES (${name}, ${generate()}) ON CONFLICT (name) DO NOTHING`;
  const row = await prisma.appSecret.findUnique({ where: { name } });
  if (!row) throw new Error(`Secret ${name} vanished from app_secrets right after it was written.`);
  return row.value;
}
