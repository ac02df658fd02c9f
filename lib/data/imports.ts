import { appendAuditEvents, recordAudit, type AuditEventInput } from "@/lib/audit/append-audit-event";
import type { AuditStamp } from "@/lib/audit/audit-actor";
import { getPrisma, type Prisma } from "@/lib/db";
import { conflict } from "@/lib/errors";
import type { FlagConfig, Variation } from "@/lib/evaluation/types";
import { writeFlagConfigVersion } from "./flag-configs";
import { isUniqueViolation, writeNewFlag, type NewFlag } from "./flags";
import { writeNewSegment, writeSegmentConfigVersion, type NewSegment, type SegmentContent } from "./segments";
import { bumpSnapshotVersion } from "./snapshots";

/** Everything an import changes, decided and validated beforehand; applied in one transaction. */
export interface ImportPlan {
  projectId: string;
  /** The environment imported into. */
  environmentId: string;
  audit: AuditStamp;
  updatedById: string | null;
  reason: string;
  newSegments: { segment: NewSegment; configs: { environmentId: string; content: SegmentContent }[] }[];
  updatedSegments: { segmentId: string; segmentKey: string; expectedVersion: number; before: SegmentContent; content: SegmentContent }[];
  newFlags: { flag: NewFlag; configs: { environmentId: string; config: FlagConfig }[] }[];
  updatedFlags: {
    flagId: string;
    flagKey: string;
    expectedVersion: number;
    before: FlagConfig;
    config: FlagConfig;
    /** The variations the plan was made against… */
    variations: Variation[];
    /** …and the ones the import needs, when they differ (variants added, payloads changed). */
    nextVariations: Variation[] | null;
  }[];
}

/** One transaction for the whole import, however large (10,000 features at most, by the schema). */
const IMPORT_TRANSACTION = { timeout: 600_000, maxWait: 30_000 } as const;

const moved = (what: string) => conflict(`${what} changed while the import was being prepared; nothing was imported. Run the import again.`);

/**
 * Applies an import plan atomically: new segments and flags (with their configurations in every
 * environment), replaced memberships and configurations in the imported environment, each with
 * revisions and audit entries, and one snapshot bump per environment touched. If anything moved
 * since the plan was made (a version, a flag's variations, a key taken), nothing is written.
 */
export async function applyImportPlan(plan: ImportPlan): Promise<{ environmentIds: string[] }> {
  const touched = new Set<string>([plan.environmentId]);
  try {
    await getPrisma().$transaction(async (tx) => {
      // Thousands of entries: hashed in order and appended in one batch at the end.
      const pendingAudit: AuditEventInput[] = [];
      for (const { segment, configs } of plan.newSegments) {
        await writeNewSegment(tx, segment, configs.map((c) => ({ ...c, updatedById: plan.updatedById })), plan.audit, plan.reason, pendingAudit);
        for (const c of configs) touched.add(c.environmentId);
      }
      for (const s of plan.updatedSegments) {
        const written = await writeSegmentConfigVersion(tx, {
          projectId: plan.projectId,
          environmentId: plan.environmentId,
          segmentId: s.segmentId,
          segmentKey: s.segmentKey,
          expectedVersion: s.expectedVersion,
          before: s.before,
          content: s.content,
          audit: plan.audit,
          updatedById: plan.updatedById,
          reason: plan.reason,
          action: "segment_config.imported",
          pendingAudit,
        });
        if (!written) throw moved(`Segment “${s.segmentKey}”`);
      }
      for (const { flag, configs } of plan.newFlags) {
        await writeNewFlag(tx, flag, configs, plan.audit, plan.reason, pendingAudit);
        for (const c of configs) touched.add(c.environmentId);
      }
      for (const f of plan.updatedFlags) {
        if (f.nextVariations) {
          // Every environment evaluates the flag's variations: all their snapshots change.
          for (const id of await replaceVariations(tx, plan, f.flagId, f.flagKey, f.variations, f.nextVariations, pendingAudit)) touched.add(id);
        }
        const written = await writeFlagConfigVersion(tx, {
          projectId: plan.projectId,
          environmentId: plan.environmentId,
          flagId: f.flagId,
          flagKey: f.flagKey,
          expectedVersion: f.expectedVersion,
          before: f.before,
          config: f.config,
          variations: f.nextVariations ?? f.variations,
          audit: plan.audit,
          updatedById: plan.updatedById,
          reason: plan.reason,
          action: "flag_config.imported",
          pendingAudit,
        });
        if (!written) throw moved(`Flag “${f.flagKey}”`);
      }
      await appendAuditEvents(tx, pendingAudit);
      for (const environmentId of touched) await bumpSnapshotVersion(tx, environmentId);
    }, IMPORT_TRANSACTION);
  } catch (error) {
    if (isUniqueViolation(error)) throw moved("A flag or segment key");
    throw error;
  }
  return { environmentIds: [...touched] };
}

/** Variations only grow or change payloads in an import. Answers the environments that evaluate the flag. */
async function replaceVariations(
  tx: Prisma.TransactionClient,
  plan: ImportPlan,
  flagId: string,
  flagKey: string,
  before: Variation[],
  after: Variation[],
  pendingAudit: AuditEventInput[],
): Promise<string[]> {
  const { count } = await tx.flag.updateMany({
    where: { id: flagId, variations: { equals: before as unknown as Prisma.InputJsonValue } },
    data: { variations: after as unknown as Prisma.InputJsonValue },
  });
  if (count === 0) throw moved(`Flag “${flagKey}”`);
  await recordAudit(tx, {
    ...plan.audit,
    projectId: plan.projectId,
    action: "flag.updated",
    entityType: "flag",
    entityKey: flagKey,
    before: { variations: before },
    after: { variations: after },
    reason: plan.reason,
  }, pendingAudit);
  const configs = await tx.flagEnvironmentConfig.findMany({ where: { flagId }, select: { environmentId: true } });
  return configs.map((c) => c.environmentId);
}
