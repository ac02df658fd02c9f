import { getPrisma } from "@/lib/db";

/** The key with its environment and project, for authenticating SDK requests. */
export function findSdkKeyByHash(keyHash: string) {
  return getPrisma().sdkKey.findUnique({
    where: { keyHash },
    include: {
      environment: { select: { id: true, key: true } },
      project: { select: { id: true, key: true } },
    },
  });
}
