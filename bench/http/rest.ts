/** The few REST calls the benchmark makes, with the init admin token. */
import type { FlagConfig } from "@/lib/evaluation/types";

export class RestClient {
  constructor(
    private readonly origin: string,
    private readonly token: string,
    private readonly project: string,
    private readonly environment: string,
  ) {}

  private async call<T>(method: string, path: string, body?: unknown, expect = 200): Promise<T> {
    const response = await fetch(`${this.origin}${path}`, {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== expect) throw new Error(`${method} ${path} answered ${response.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  private flagPath(key: string): string {
    return `/api/v1/projects/${this.project}/environments/${this.environment}/flags/${encodeURIComponent(key)}`;
  }

  /** A new SDK key; the whole key is only in this answer. */
  async createSdkKey(kind: "server" | "client", name: string): Promise<string> {
    const created = await this.call<{ key: string }>("POST", `/api/v1/projects/${this.project}/environments/${this.environment}/sdk-keys`, { kind, name }, 201);
    return created.key;
  }

  readFlagConfig(key: string): Promise<{ version: number; config: FlagConfig }> {
    return this.call("GET", this.flagPath(key));
  }

  replaceFlagConfig(key: string, version: number, config: FlagConfig): Promise<{ version: number; config: FlagConfig }> {
    return this.call("PUT", this.flagPath(key), { version, config, reason: "bench:http propagation" });
  }
}
