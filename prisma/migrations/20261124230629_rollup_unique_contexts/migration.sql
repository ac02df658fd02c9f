-- CreateTable
CREATE TABLE "exposure_rollup_contexts" (
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "environmentId" TEXT NOT NULL,
    "flagKey" TEXT NOT NULL,
    "variationKey" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "dimensionValue" TEXT NOT NULL,
    "contextKey" TEXT NOT NULL,

    CONSTRAINT "exposure_rollup_contexts_pkey" PRIMARY KEY ("bucketStart","environmentId","flagKey","variationKey","dimension","dimensionValue","contextKey")
);

-- CreateTable
CREATE TABLE "metric_rollup_contexts" (
    "bucketStart" TIMESTAMPTZ(3) NOT NULL,
    "environmentId" TEXT NOT NULL,
    "flagKey" TEXT NOT NULL,
    "metricKey" TEXT NOT NULL,
    "variationKey" TEXT NOT NULL,
    "dimension" TEXT NOT NULL,
    "dimensionValue" TEXT NOT NULL,
    "contextKey" TEXT NOT NULL,

    CONSTRAINT "metric_rollup_contexts_pkey" PRIMARY KEY ("bucketStart","environmentId","flagKey","metricKey","variationKey","dimension","dimensionValue","contextKey")
);
