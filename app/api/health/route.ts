import { pingDatabase } from "@/lib/data/ping-database";

export const dynamic = "force-dynamic";

/** Liveness and readiness for load balancers: 200 while the process serves, with what is degraded. */
export async function GET() {
  const database = (await pingDatabase()) ? "up" : "down";
  return Response.json(
    { status: database === "up" ? "ok" : "degraded", database, time: new Date().toISOString() },
    { headers: { "Cache-Control": "no-store" } },
  );
}
