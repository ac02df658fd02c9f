/** Server-Sent Events framing and a stream with heartbeats that cleans up when the client leaves. */

export function sseMessage(event: { id?: string | number; event?: string; data: string }): string {
  let out = "";
  if (event.id !== undefined) out += `id: ${event.id}\n`;
  if (event.event) out += `event: ${event.event}\n`;
  for (const line of event.data.split("\n")) out += `data: ${line}\n`;
  return `${out}\n`;
}

const HEARTBEAT_MS = 15_000;

/**
 * A text/event-stream response. `start` receives `send` and returns a cleanup function, called
 * once when the client disconnects (or the request is aborted).
 */
export function sseResponse(
  signal: AbortSignal,
  start: (send: (chunk: string) => void) => () => void,
  /** Polled every second; the stream ends when it resolves false (e.g. the key was revoked). */
  stillAllowed?: () => Promise<boolean>,
): Response {
  const encoder = new TextEncoder();
  let cleanup: (() => void) | null = null;
  let heartbeat: ReturnType<typeof setInterval> | null = null;
  let watchdog: ReturnType<typeof setInterval> | null = null;
  const stop = () => {
    if (heartbeat) clearInterval(heartbeat);
    if (watchdog) clearInterval(watchdog);
    heartbeat = watchdog = null;
    cleanup?.();
    cleanup = null;
  };
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (chunk: string) => {
        try {
          controller.enqueue(encoder.encode(chunk));
        } catch {
          stop();
        }
      };
      send(": connected\n\n");
      cleanup = start(send);
      heartbeat = setInterval(() => send(": heartbeat\n\n"), HEARTBEAT_MS);
      if (stillAllowed) {
        watchdog = setInterval(() => {
          void stillAllowed().then(
            (allowed) => {
              if (allowed) return;
              stop();
              try {
                controller.close();
              } catch {
                // already closed
              }
            },
            () => undefined,
          );
        }, 1000);
      }
      signal.addEventListener("abort", () => {
        stop();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel: stop,
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
