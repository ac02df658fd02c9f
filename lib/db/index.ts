// TEMPORARY on main until the db branch lands with the real client (PGlite / pg adapters).
import { PrismaClient } from "./generated/client.ts";
export type { PrismaClient };
declare global {
  var __switchyardPrisma: PrismaClient | undefined;
}
export function getPrisma(): PrismaClient {
  throw new Error("database layer not merged yet");
}
