import type { APIRequestContext } from "@playwright/test";
import { E2E_ADMIN_TOKEN } from "./admin-token";

const admin = { Authorization: `Bearer ${E2E_ADMIN_TOKEN}` };

/** Creates an SDK key through the REST API and returns the whole key. */
export async function createSdkKey(request: APIRequestContext, environment: string, kind: "server" | "client", name = `${kind}-${Date.now()}`) {
  const response = await request.post(`/api/v1/projects/storefront/environments/${environment}/sdk-keys`, { headers: admin, data: { kind, name } });
  if (response.status() !== 201) throw new Error(`creating an SDK key answered ${response.status()}: ${await response.text()}`);
  return (await response.json()) as { id: string; key: string };
}

export async function revokeSdkKey(request: APIRequestContext, environment: string, id: string) {
  const response = await request.delete(`/api/v1/projects/storefront/environments/${environment}/sdk-keys/${id}`, { headers: admin });
  if (response.status() !== 204) throw new Error(`revoking answered ${response.status()}`);
}

/** Reads a flag's configuration, applies `change`, and saves it with the version read. */
export async function editFlagConfig(request: APIRequestContext, environment: string, flagKey: string, change: (config: Record<string, unknown>) => Record<string, unknown>) {
  const path = `/api/v1/projects/storefront/environments/${environment}/flags/${encodeURIComponent(flagKey)}`;
  const current = await (await request.get(path, { headers: admin })).json();
  const response = await request.put(path, { headers: admin, data: { version: current.version, config: change(current.config) } });
  if (response.status() !== 200) throw new Error(`saving answered ${response.status()}: ${await response.text()}`);
  return response.json();
}
