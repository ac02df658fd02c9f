-- AlterTable
ALTER TABLE "environments" ADD COLUMN     "snapshotVersion" INTEGER NOT NULL DEFAULT 1;
