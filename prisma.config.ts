import path from "node:path";
import { defineConfig } from "prisma/config";

// The Prisma CLI tries to download its native schema engine before every command, even
// `prisma generate`, and these machines cannot reach that host. Generation does not use the
// engine, so pointing the CLI at any executable lets it proceed. Migrations go through the
// wasm schema engine in scripts/ instead (see docs/decisions/0001-migrations-offline.md).
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= "/bin/false";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  // `env()` from prisma/config throws when unset; the app picks its own database when it is.
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost/switchyard" },
});
