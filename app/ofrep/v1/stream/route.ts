import { ofrepEventStream } from "@/lib/ofrep/ofrep-stream";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  return ofrepEventStream(request);
}
