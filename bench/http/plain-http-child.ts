/**
 * Diagnostic, not a way to run Switchyard: the same OFREP handlers (`evaluateAllFlags`,
 * `evaluateSingleFlag` from lib/ofrep/ofrep-service.ts, with the same SDK-key auth, snapshot
 * store and database) behind a bare `node:http` server instead of Next.js. The difference from
 * `next start` is what Next's request pipeline costs per request (routing, the Web Request it
 * builds, the streamed response). Started by run.ts as `tsx bench/http/plain-http-child.ts` with
 * PORT and the server's database environment; prints `ready <port>`.
 *
 * It converts the Node request into a Web `Request` as a route handler receives it, and writes the
 * `Response` back in one piece with a Content-Length.
 */
import http from "node:http";
import { evaluateAllFlags, evaluateSingleFlag } from "@/lib/ofrep/ofrep-service";

const port = Number(process.env.PORT);
const BULK = "/ofrep/v1/evaluate/flags";

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const url = `http://${req.headers.host ?? "127.0.0.1"}${req.url ?? "/"}`;
  const path = (req.url ?? "/").split("?")[0];
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) if (typeof value === "string") headers.set(name, value);
  const request = new Request(url, { method: req.method, headers, body: req.method === "POST" ? Buffer.concat(chunks) : undefined });
  let response: Response;
  if (req.method === "POST" && path === BULK) response = await evaluateAllFlags(request);
  else if (req.method === "POST" && path.startsWith(`${BULK}/`)) response = await evaluateSingleFlag(request, decodeURIComponent(path.slice(BULK.length + 1)));
  else if (path === "/health") response = new Response("ok");
  else response = new Response(null, { status: 404 });
  const body = Buffer.from(await response.arrayBuffer());
  const out: Record<string, string> = {};
  response.headers.forEach((value, name) => (out[name] = value));
  out["content-length"] = String(body.length);
  res.writeHead(response.status, out);
  res.end(body);
}

const server = http.createServer((req, res) => {
  handle(req, res).catch((error) => {
    console.error(error);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
server.listen(port, "127.0.0.1", () => console.log(`ready ${port}`));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    server.close();
    // Release the embedded database's lock before leaving.
    void import("@/lib/db").then(({ closePrisma }) => closePrisma()).finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
