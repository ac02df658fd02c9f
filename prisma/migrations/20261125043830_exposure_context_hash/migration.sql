-- The bookkeeping is keyed anew (lib/events/context-hash.ts computes the key in the app), so the
-- rows of buckets still open are dropped: a context seen before this migration and again in the same
-- minute after it is counted once more in that minute's uniqueCount. Nothing else changes.
DELETE FROM "exposure_rollup_contexts";

-- AlterTable
ALTER TABLE "exposure_rollup_contexts" DROP CONSTRAINT "exposure_rollup_contexts_pkey",
DROP COLUMN "contextKey",
DROP COLUMN "environmentId",
DROP COLUMN "flagKey",
DROP COLUMN "variationKey",
ADD COLUMN     "contextHash" BIGINT NOT NULL,
ADD CONSTRAINT "exposure_rollup_contexts_pkey" PRIMARY KEY ("bucketStart", "contextHash");
