// The database layer for server code. Only lib/data (and scripts, seeds, tests) should import it.
// Migrations (lib/db/migrate.ts) are deliberately not re-exported: they load WebAssembly and the
// file system and belong to scripts, not to the Next.js bundle.
export { closePrisma, createPrismaClient, getDatabase, getPrisma, isPrismaOpen } from "./client";
export { type DatabaseConfig, describeDatabase, resolveDatabaseConfig, resolveDataDir } from "./config";
export { DataDirLockedError } from "./data-dir-lock";
export { type DatabaseHandle, openDatabase } from "./open-database";
export { getOrCreateSecret } from "./secrets";
// PrismaClient, the Prisma namespace, model types (User, Flag, …) and enums (Role, FlagKind, …).
export * from "./generated/client";
