-- AlterTable
ALTER TABLE "flags" ADD COLUMN     "controlVariation" TEXT;
