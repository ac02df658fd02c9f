-- CreateTable
CREATE TABLE "exposure_rollup_contexts" (
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "environmentId" TEXT NOT NULL,
    "flagKey" TEXT NOT NULL,
    "variationKey" TEXT NOT NULL,
    "contextKey" TEXT NOT NULL,
    "cells" TEXT[],
    "countedBefore" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "exposure_rollup_contexts_pkey" PRIMARY KEY ("bucketStart","environmentId","flagKey","variationKey","contextKey")
);

-- CreateTable
CREATE TABLE "metric_rollup_contexts" (
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "environmentId" TEXT NOT NULL,
    "flagKey" TEXT NOT NULL,
    "metricKey" TEXT NOT NULL,
    "variationKey" TEXT NOT NULL,
    "contextKey" TEXT NOT NULL,
    "cells" TEXT[],
    "countedBefore" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "metric_rollup_contexts_pkey" PRIMARY KEY ("bucketStart","environmentId","flagKey","metricKey","variationKey","contextKey")
);
