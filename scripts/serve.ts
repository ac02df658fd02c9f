/**
 * The production server: Next.js (console, REST, SSE) behind one `node:http` listener that
 * answers OFREP evaluations itself (lib/server/evaluation-fast-path.ts). Started by
 * scripts/start.ts after migrations; reads PORT and HOSTNAME like `next start`.
 */
import http from "node:http";
import next from "next";
import { closePrisma } from "../lib/db";
import { startWebhookWorker } from "../lib/notifications/webhook-worker";
import { startScheduler } from "../lib/scheduler/scheduler";
import { serveEvaluation } from "../lib/server/evaluation-fast-path";

const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME;

async function main() {
  const app = next({ dev: false, dir: process.cwd(), port, hostname: hostname ?? "localhost" });
  await app.prepare();
  const handle = app.getRequestHandler();
  const server = http.createServer((req, res) => {
    if (serveEvaluation(req, res)) return;
    handle(req, res).catch((error: unknown) => {
      console.error(error);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  server.keepAliveTimeout = 65_000;
  // Scheduled change requests (and, later, rollout stages) are applied from here.
  const stopScheduler = startScheduler();
  // Webhook deliveries: off the request path, so a slow receiver never delays the action behind it.
  const stopWebhookWorker = startWebhookWorker();
  server.listen(port, hostname, () => console.log(`▲ Switchyard listening on ${hostname ?? "all interfaces"}:${port}`));

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    stopScheduler();
    void stopWebhookWorker();
    // Open SSE streams would keep close() waiting: end them so clients reconnect elsewhere.
    server.close();
    server.closeAllConnections();
    void closePrisma().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
