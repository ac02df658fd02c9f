import { findFlagByKey, type FlagRow } from "@/lib/data/flags";
import { notFound } from "@/lib/errors";

export async function getFlagOrThrow(projectId: string, key: string): Promise<FlagRow> {
  const flag = await findFlagByKey(projectId, key);
  if (!flag) throw notFound(`Flag “${key}”`);
  return flag;
}
