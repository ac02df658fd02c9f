import { evaluateSingleFlag, ofrepRequestOf, toWebResponse } from "@/lib/ofrep/ofrep-service";

export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ key: string }> }) {
  // Next decodes the path segment, so Unicode and dotted keys arrive as written.
  return toWebResponse(await evaluateSingleFlag(await ofrepRequestOf(request), (await params).key));
}
