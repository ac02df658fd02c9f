import http from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What the receiver does with a request: answer a status (after a delay), or never answer. */
export type Reply = { status: number; body?: string; delayMs?: number } | "hang";

/**
 * A real HTTP receiver on 127.0.0.1 and a random port, recording what it gets. Replies are taken
 * from `replies` in order; when they run out, `fallback` answers.
 */
export async function startWebhookReceiver(fallback: Reply = { status: 200, body: "ok" }) {
  const received: ReceivedRequest[] = [];
  const replies: Reply[] = [];
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const reply = replies.shift() ?? fallback;
      if (reply === "hang") {
        hanging.add(response);
        return;
      }
      setTimeout(() => response.writeHead(reply.status, { "content-type": "text/plain" }).end(reply.body ?? ""), reply.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    replies,
    async close() {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
