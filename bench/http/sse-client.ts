/**
 * A minimal client of `GET /api/v1/sdk/stream` (lib/snapshots/wire-format.ts): reads the
 * text/event-stream and hands each `put`/`patch` event to a listener the moment its last line
 * arrives, with the time it arrived. It keeps the flags' configuration versions as an SDK would
 * (a `put` replaces them, a `patch` upserts and deletes), so a test can ask "is version v of flag
 * k being served yet".
 */
import http from "node:http";
import type { EnvironmentSnapshot, SnapshotPatch } from "@/lib/snapshots/wire-format";

export type StreamEvent =
  | { type: "put"; id: number; at: number; snapshot: EnvironmentSnapshot }
  | { type: "patch"; id: number; at: number; patch: SnapshotPatch };

export interface SnapshotStreamClient {
  /** Flag key → { on, version } of the configuration the stream has delivered. */
  readonly flags: Map<string, { on: boolean; version: number }>;
  readonly snapshotVersion: () => number;
  onEvent(listener: (event: StreamEvent) => void): () => void;
  /** Resolves after the initial `put`. */
  ready: Promise<void>;
  close(): void;
}

export function connectSnapshotStream(origin: string, sdkKey: string): SnapshotStreamClient {
  const flags = new Map<string, { on: boolean; version: number }>();
  const listeners = new Set<(event: StreamEvent) => void>();
  let version = 0;
  let resolveReady!: () => void;
  let rejectReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });

  const applyFlags = (list: EnvironmentSnapshot["flags"]) => {
    for (const flag of list) flags.set(flag.key, { on: flag.config.on, version: flag.config.version ?? 0 });
  };

  const dispatch = (block: string, at: number) => {
    let event = "message";
    let id = 0;
    const data: string[] = [];
    for (const line of block.split("\n")) {
      if (line === "" || line.startsWith(":")) continue;
      const colon = line.indexOf(":");
      const field = colon === -1 ? line : line.slice(0, colon);
      const value = colon === -1 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "event") event = value;
      else if (field === "id") id = Number(value);
      else if (field === "data") data.push(value);
    }
    if (data.length === 0) return;
    let parsed: StreamEvent;
    if (event === "put") {
      const snapshot = JSON.parse(data.join("\n")) as EnvironmentSnapshot;
      flags.clear();
      applyFlags(snapshot.flags);
      version = snapshot.version;
      parsed = { type: "put", id, at, snapshot };
      resolveReady();
    } else if (event === "patch") {
      const patch = JSON.parse(data.join("\n")) as SnapshotPatch;
      applyFlags(patch.upsertFlags);
      for (const key of patch.deletedFlags) flags.delete(key);
      version = patch.version;
      parsed = { type: "patch", id, at, patch };
    } else return;
    for (const listener of listeners) listener(parsed);
  };

  const request = http.get(`${origin}/api/v1/sdk/stream`, { headers: { Authorization: `Bearer ${sdkKey}`, Accept: "text/event-stream" } }, (response) => {
    if (response.statusCode !== 200) {
      rejectReady(new Error(`GET /api/v1/sdk/stream answered ${response.statusCode}`));
      response.resume();
      return;
    }
    response.setEncoding("utf8");
    let buffer = "";
    response.on("data", (chunk: string) => {
      const at = performance.now();
      buffer += chunk.replace(/\r\n?/g, "\n");
      let end: number;
      while ((end = buffer.indexOf("\n\n")) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        dispatch(block, at);
      }
    });
    response.on("end", () => rejectReady(new Error("the stream ended before its first snapshot")));
  });
  request.on("error", (error) => rejectReady(error));

  return {
    flags,
    snapshotVersion: () => version,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    ready,
    close: () => request.destroy(),
  };
}
