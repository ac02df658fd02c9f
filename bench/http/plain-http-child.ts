/**
 * Diagnostic, not a way to run Switchyard: the same OFREP handlers (`evaluateAllFlags`,
 * `evaluateSingleFlag` from lib/ofrep/ofrep-service.ts, with the same SDK-key auth, snapshot
 * store and database) behind a `node:http` listener instead of a Next.js route. The difference
 * from `next start` is what Next's request pipeline costs per request (routing, the Web Request it
 * builds from the Node request, the response streamed back through web streams). Started by run.ts
 * as `tsx bench/http/plain-http-child.ts` with PORT, MODE and the server's database environment;
 * prints `ready <port>`.
 *
 * MODE=bare: nothing but the OFREP routes. MODE=with-next: a Next.js custom server
 * (`next({ dev: false })` in this process serves every other path from the production build), to
 * check that the gain survives with Next loaded beside it (Next patches globals such as `Date` and
 * `fetch`, and its bundle holds its own copy of lib/, sharing the snapshot store and the database
 * through globalThis).
 *
 * The Node request becomes a Web `Request`, as a route handler receives it; the `Response` is
 * written back in one piece with a Content-Length.
 */
import http from "node:http";
import { evaluateAllFlags, evaluateSingleFlag, ofrepRequestOf, toWebResponse } from "@/lib/ofrep/ofrep-service";

const port = Number(process.env.PORT);
const mode = process.env.MODE === "with-next" ? "with-next" : "bare";
const BULK = "/ofrep/v1/evaluate/flags";

async function ofrep(req: http.IncomingMessage, res: http.ServerResponse, path: string): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const url = `http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`;
  const request = new Request(url, { method: "POST", headers, body: Buffer.concat(chunks) });
  const input = await ofrepRequestOf(request);
  const reply = path === BULK ? await evaluateAllFlags(input) : await evaluateSingleFlag(input, decodeURIComponent(path.slice(BULK.length + 1)));
  const response = toWebResponse(reply);
  const body = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => (out[name] = value));
  out["content-length"] = String(body.length);
  res.writeHead(response.status, out);
  res.end(body);
}

async function main() {
  let fallback: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> = async (_req, res) => {
    res.writeHead(_req.url === "/health" ? 200 : 404);
    res.end(_req.url === "/health" ? "ok" : undefined);
  };
  if (mode === "with-next") {
    // Imported only here, so the bare mode never loads Next at all.
    const { default: next } = await import("next");
    const app = next({ dev: false, dir: process.cwd(), hostname: "127.0.0.1", port });
    await app.prepare();
    const handle = app.getRequestHandler();
    fallback = async (req, res) => {
      if (req.url === "/health") {
        res.writeHead(200);
        res.end("ok");
      } else await handle(req, res);
    };
  }
  const server = http.createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const isOfrep = req.method === "POST" && (path === BULK || path.startsWith(`${BULK}/`));
    (isOfrep ? ofrep(req, res, path) : fallback(req, res)).catch((error) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.listen(port, "127.0.0.1", () => console.log(`ready ${port} (${mode})`));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.on(signal, () => {
      server.close();
      // Release the embedded database's lock before leaving.
      void import("@/lib/db").then(({ closePrisma }) => closePrisma()).finally(() => process.exit(0));
      setTimeout(() => process.exit(0), 2_000).unref();
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
