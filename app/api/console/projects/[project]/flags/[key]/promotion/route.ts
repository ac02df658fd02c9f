import { consoleRead } from "@/lib/api/console-route";
import { parseJsonBody } from "@/lib/api/handle-route";
import { previewPromotion } from "@/lib/change-requests/promote-flag";
import { promotionBodySchema } from "@/lib/schemas/change-request";

/** What promoting would propose (a read: nothing is filed). POST because the scope travels in the body. */
export const POST = consoleRead<{ project: string; key: string }>(async (access, params, request) =>
  previewPromotion(access, params.key, await parseJsonBody(request, promotionBodySchema)),
);
