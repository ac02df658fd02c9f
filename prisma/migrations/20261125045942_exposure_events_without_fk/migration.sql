-- DropForeignKey
ALTER TABLE "exposure_events" DROP CONSTRAINT "exposure_events_environmentId_fkey";
