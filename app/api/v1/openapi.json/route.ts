import { buildOpenApiDocument } from "@/lib/api/openapi/build-openapi-document";

export const dynamic = "force-static";

export function GET() {
  return Response.json(buildOpenApiDocument());
}
