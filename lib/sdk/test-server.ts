import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { Flag, Segment } from "../evaluation/types";
import { packSnapshot } from "../evaluation/packed";
import type { EnvironmentSnapshot, EventBatch, ExposureEvent, MetricEvent, PackedEnvironmentSnapshot, SnapshotPatch } from "../snapshots/wire-format";

/**
 * A small real HTTP server speaking the SDK wire format (lib/snapshots/wire-format.ts) from an
 * in-memory snapshot, for the SDK's tests and for applications testing their use of the SDK:
 * - GET /api/v1/sdk/snapshot with ETag / If-None-Match → 304; `?format=2` packs it as the real
 *   server does (its own ETag, `…:f2`), and the stream's `put` follows the stream's `?format`;
 * - GET /api/v1/sdk/stream: `put` on connect, `patch` per change, heartbeats, `Last-Event-ID`
 *   resume from a patch history; line endings, JSON spread over several `data:` lines and
 *   writes split into small pieces are configurable, to exercise real-world framing;
 * - POST /api/v1/events: records batches, or answers queued failures (429 with Retry-After, 500…);
 * - 401/403 for a wrong key or on demand; stop() and start() again on the same port.
 */

export interface TestServerOptions {
  sdkKey?: string;
  snapshot?: EnvironmentSnapshot;
  /** Heartbeat comment interval; default 15 000. */
  heartbeatMs?: number;
  /** Line ending used on the stream; default "\n". */
  eol?: "\n" | "\r\n" | "\r";
  /** Pretty-print JSON so that each event spans many `data:` lines. */
  multiLineData?: boolean;
  /** Write each event in pieces of this many bytes (with a pause between them). */
  splitWritesBytes?: number;
}

export interface RecordedRequest {
  /** Date.now() when it arrived. */
  at: number;
  method: string;
  path: string;
  /** The `?format` query parameter, if any. */
  format?: string;
  headers: IncomingMessage["headers"];
}

export interface ForcedResponse {
  status: number;
  retryAfter?: string;
  body?: string;
}

export function emptySnapshot(version = 1): EnvironmentSnapshot {
  return { projectKey: "demo", environmentKey: "production", version, publishedAt: new Date(0).toISOString(), flags: [], segments: [] };
}

export class TestServer {
  readonly sdkKey: string;
  snapshot: EnvironmentSnapshot;
  readonly patches: SnapshotPatch[] = [];
  readonly batches: EventBatch[] = [];
  readonly requests: RecordedRequest[] = [];
  /** When set, every endpoint answers this status. */
  forceAuthStatus: 401 | 403 | null = null;
  /** When set, the stream endpoint answers this status (e.g. 404 for a server without SSE). */
  streamStatus: number | null = null;
  /** Sent as Retry-After with `streamStatus`. */
  streamRetryAfter: string | null = null;
  /** Accept stream requests but never answer them (a proxy buffering the response). */
  hangStream = false;
  /** When set, the snapshot endpoint answers this status. */
  snapshotStatus: number | null = null;
  /** What each stream connection got first: a full put, the patches after its Last-Event-ID, or nothing (up to date). */
  readonly connectReplies: ("put" | "patches" | "none")[] = [];
  /** Consumed one per POST /api/v1/events before recording anything. */
  readonly eventResponses: ForcedResponse[] = [];
  /** Timestamps (Date.now()) at which POST /api/v1/events was called. */
  readonly eventPostTimes: number[] = [];
  private server: Server | null = null;
  private port = 0;
  private readonly sockets = new Set<Socket>();
  private readonly streams = new Set<ServerResponse>();
  /** The `?format` each stream asked for. */
  private readonly streamFormats = new WeakMap<ServerResponse, string | undefined>();
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly writeChains = new WeakMap<ServerResponse, Promise<void>>();

  constructor(private readonly options: TestServerOptions = {}) {
    this.sdkKey = options.sdkKey ?? "srv-test-key";
    this.snapshot = options.snapshot ?? emptySnapshot();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get events(): (ExposureEvent | MetricEvent)[] {
    return this.batches.flatMap((b) => b.events);
  }

  get streamClients(): number {
    return this.streams.size;
  }

  requestsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  /** Listen (again) — on the same port after a stop(). */
  async start(): Promise<string> {
    if (this.server) return this.url;
    const server = createServer((req, res) => this.handle(req, res));
    server.on("connection", (s) => {
      this.sockets.add(s);
      s.on("close", () => this.sockets.delete(s));
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.port, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.heartbeat = setInterval(() => this.broadcast(`: heartbeat${this.eol}${this.eol}`), this.options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
    return this.url;
  }

  /** Close every connection (streams included) and stop listening, as a crashed server would. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = null;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    for (const s of this.streams) s.destroy();
    this.streams.clear();
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Publish a new version: applies the change to the snapshot, keeps the patch for resumption,
   * and sends it to connected streams as a `patch` (or as a full `put` with `asPut`).
   */
  publish(
    change: { upsertFlags?: Flag[]; deletedFlags?: string[]; upsertSegments?: Segment[]; deletedSegments?: string[]; optOutAttribute?: string },
    opts: { asPut?: boolean; send?: boolean } = {},
  ): number {
    const prev = this.snapshot;
    const patch: SnapshotPatch = {
      fromVersion: prev.version,
      version: prev.version + 1,
      publishedAt: new Date().toISOString(),
      upsertFlags: change.upsertFlags ?? [],
      deletedFlags: change.deletedFlags ?? [],
      upsertSegments: change.upsertSegments ?? [],
      deletedSegments: change.deletedSegments ?? [],
    };
    if (change.optOutAttribute !== undefined) patch.optOutAttribute = change.optOutAttribute;
    const upsert = <T extends { key: string }>(list: T[], up: T[], del: string[]): T[] => {
      const gone = new Set([...del, ...up.map((x) => x.key)]);
      return [...list.filter((x) => !gone.has(x.key)), ...up];
    };
    this.snapshot = {
      ...prev,
      version: patch.version,
      publishedAt: patch.publishedAt,
      optOutAttribute: change.optOutAttribute ?? prev.optOutAttribute,
      flags: upsert(prev.flags, patch.upsertFlags, patch.deletedFlags),
      segments: upsert(prev.segments, patch.upsertSegments, patch.deletedSegments),
    };
    this.patches.push(patch);
    if (opts.send !== false) {
      if (opts.asPut) for (const res of this.streams) void this.write(res, this.frame("put", this.snapshotIn(this.streamFormats.get(res)), this.snapshot.version));
      else this.broadcast(this.frame("patch", patch, patch.version));
    }
    return patch.version;
  }

  /** Replace the whole snapshot (e.g. a server restored from elsewhere) without telling streams. */
  replaceSnapshot(snapshot: EnvironmentSnapshot): void {
    this.snapshot = snapshot;
    this.patches.length = 0;
  }

  /** End every stream cleanly (as a proxy timing out a long response does). */
  endStreams(): void {
    for (const res of this.streams) res.end();
    this.streams.clear();
  }

  /** Send a raw, already framed SSE text to every connected stream. */
  sendRaw(text: string): void {
    this.broadcast(text);
  }

  /** An SSE event in this server's framing. */
  frame(type: string, payload: unknown, id?: number | string): string {
    const eol = this.eol;
    const json = this.options.multiLineData ? JSON.stringify(payload, null, 2) : JSON.stringify(payload);
    const data = json
      .split("\n")
      .map((l) => `data: ${l}`)
      .join(eol);
    return `${id !== undefined ? `id: ${id}${eol}` : ""}event: ${type}${eol}${data}${eol}${eol}`;
  }

  /** The snapshot as a client asking for `format` receives it. */
  snapshotIn(format: string | undefined): EnvironmentSnapshot | PackedEnvironmentSnapshot {
    if (format !== "2") return this.snapshot;
    const { flags, segments, ...envelope } = this.snapshot;
    return { ...envelope, ...packSnapshot({ flags, segments, optOutAttribute: this.snapshot.optOutAttribute }) };
  }

  private get eol(): string {
    return this.options.eol ?? "\n";
  }

  private broadcast(text: string): void {
    for (const res of this.streams) void this.write(res, text);
  }

  /** Writes to one stream in order, even when split into pieces written across ticks. */
  private write(res: ServerResponse, text: string): Promise<void> {
    const prev = this.writeChains.get(res) ?? Promise.resolve();
    const next = prev.then(() => this.writeNow(res, text));
    this.writeChains.set(res, next);
    return next;
  }

  private async writeNow(res: ServerResponse, text: string): Promise<void> {
    const n = this.options.splitWritesBytes;
    if (!n) {
      if (!res.destroyed) res.write(text);
      return;
    }
    const bytes = Buffer.from(text, "utf8");
    for (let i = 0; i < bytes.length; i += n) {
      if (res.destroyed) return;
      res.write(bytes.subarray(i, i + n));
      await new Promise((r) => setImmediate(r));
    }
  }

  private authorized(req: IncomingMessage, res: ServerResponse): boolean {
    if (this.forceAuthStatus !== null) {
      res.writeHead(this.forceAuthStatus).end();
      return false;
    }
    const auth = req.headers.authorization ?? "";
    const key = auth.startsWith("Bearer ") ? auth.slice(7) : req.headers["x-api-key"];
    if (key !== this.sdkKey) {
      res.writeHead(401).end();
      return false;
    }
    return true;
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? "/").split("?")[0];
    const format = new URL(req.url ?? "/", "http://x").searchParams.get("format") ?? undefined;
    this.requests.push({ at: Date.now(), method: req.method ?? "GET", path, format, headers: req.headers });
    if (!this.authorized(req, res)) return;
    if (req.method === "GET" && path === "/api/v1/sdk/snapshot") return this.handleSnapshot(req, res, format);
    if (req.method === "GET" && path === "/api/v1/sdk/stream") return this.handleStream(req, res, format);
    if (req.method === "POST" && path === "/api/v1/events") return void this.handleEvents(req, res);
    res.writeHead(404).end();
  }

  private handleSnapshot(req: IncomingMessage, res: ServerResponse, format: string | undefined): void {
    if (this.snapshotStatus !== null) {
      res.writeHead(this.snapshotStatus).end();
      return;
    }
    const etag = `"${this.snapshot.environmentKey}:${this.snapshot.version}${format === "2" ? ":f2" : ""}"`;
    if (req.headers["if-none-match"] === etag) {
      res.writeHead(304, { ETag: etag }).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "application/json", ETag: etag }).end(JSON.stringify(this.snapshotIn(format)));
  }

  private handleStream(req: IncomingMessage, res: ServerResponse, format: string | undefined): void {
    if (this.hangStream) return;
    if (this.streamStatus !== null) {
      res.writeHead(this.streamStatus, this.streamRetryAfter !== null ? { "Retry-After": this.streamRetryAfter } : {}).end();
      return;
    }
    res.writeHead(200, { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", Connection: "keep-alive" });
    res.flushHeaders();
    this.streams.add(res);
    this.streamFormats.set(res, format);
    res.on("close", () => this.streams.delete(res));
    const last = Number(req.headers["last-event-id"]);
    const current = this.snapshot.version;
    if (Number.isInteger(last) && last === current) {
      this.connectReplies.push("none"); // up to date: nothing to send
      return;
    }
    if (Number.isInteger(last) && last < current) {
      const from = this.patches.findIndex((p) => p.fromVersion === last);
      const chain = from >= 0 ? this.patches.slice(from) : [];
      const contiguous = chain.length > 0 && chain.every((p, i) => i === 0 || p.fromVersion === chain[i - 1].version) && chain[chain.length - 1].version === current;
      if (contiguous) {
        this.connectReplies.push("patches");
        void this.write(res, chain.map((p) => this.frame("patch", p, p.version)).join(""));
        return;
      }
    }
    this.connectReplies.push("put");
    void this.write(res, this.frame("put", this.snapshotIn(format), current));
  }

  private async handleEvents(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.eventPostTimes.push(Date.now());
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const forced = this.eventResponses.shift();
    if (forced) {
      res.writeHead(forced.status, forced.retryAfter !== undefined ? { "Retry-After": forced.retryAfter } : {}).end(forced.body ?? "");
      return;
    }
    let batch: EventBatch;
    try {
      batch = JSON.parse(Buffer.concat(chunks).toString("utf8")) as EventBatch;
      if (!Array.isArray(batch.events)) throw new Error("no events");
    } catch {
      res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ error: "invalid batch" }));
      return;
    }
    this.batches.push(batch);
    const known = new Set(this.snapshot.flags.map((f) => f.key));
    const unknownFlags = [...new Set(batch.events.flatMap((e) => (e.kind === "exposure" && !known.has(e.flagKey) ? [e.flagKey] : [])))];
    res.writeHead(202, { "Content-Type": "application/json" }).end(JSON.stringify({ accepted: batch.events.length, unknownFlags, rejected: 0 }));
  }
}
