import { evaluateAllFlags, ofrepRequestOf, toWebResponse } from "@/lib/ofrep/ofrep-service";

export const dynamic = "force-dynamic";

export async function POST(request: Request) {
  return toWebResponse(await evaluateAllFlags(await ofrepRequestOf(request)));
}
