/**
 * The export benchmark's server process: a `node:http` listener that answers with exactly what
 * the route handlers return — `exportAuditEvents` (app/api/v1/projects/[project]/audit/export)
 * and `verifyAuditChainInDatabase` (app/api/v1/audit/verify) — the Web Response body piped to the
 * socket with backpressure. Its own process, so its peak RSS is the export's and nothing else's.
 * Started by export.ts with PORT, PROJECT and the database environment; prints `ready`.
 *
 *   GET /export?format=csv|json|ndjson&…filters   GET /verify
 */
import http from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { exportAuditEvents } from "@/lib/audit/export-audit-events";
import { verifyAuditChainInDatabase } from "@/lib/audit/verify-chain";
import { requireProjectPermission } from "@/lib/auth/access";
import { closePrisma, getPrisma } from "@/lib/db";
import { auditExportQuerySchema } from "@/lib/schemas/audit";

const port = Number(process.env.PORT);
const project = process.env.PROJECT!;

async function respond(res: http.ServerResponse, response: Response) {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => (headers[name] = value));
  res.writeHead(response.status, headers);
  if (response.body) await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), res);
  else res.end();
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (url.pathname === "/export") {
    const access = await requireProjectPermission({ type: "system", name: "bench" }, project, "project:read");
    const query = auditExportQuerySchema.parse(Object.fromEntries(url.searchParams));
    await respond(res, await exportAuditEvents(access, query));
  } else if (url.pathname === "/verify") {
    await respond(res, Response.json(await verifyAuditChainInDatabase()));
  } else {
    res.writeHead(404).end();
  }
}

async function main() {
  // Let go of the database (PGlite's data-directory lock) before exiting.
  process.once("SIGTERM", () => void closePrisma().finally(() => process.exit(0)));
  await getPrisma().$queryRaw`SELECT 1`;
  http
    .createServer((req, res) => {
      handle(req, res).catch((error: unknown) => {
        console.error(error);
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
    })
    .listen(port, "127.0.0.1", () => console.log("ready"));
}

void main();
