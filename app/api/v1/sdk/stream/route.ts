import { snapshotStreamResponse } from "@/lib/snapshots/sdk-endpoints";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return snapshotStreamResponse(request);
}
