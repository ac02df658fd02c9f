import { evaluateAllFlags } from "@/lib/ofrep/ofrep-service";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  return evaluateAllFlags(request);
}
