import { healthReport } from "@/lib/observability/health";

export const dynamic = "force-dynamic";

/** Liveness and readiness for load balancers: 200 while the process serves, with what is degraded. */
export async function GET() {
  return Response.json(await healthReport(), { headers: { "Cache-Control": "no-store" } });
}
