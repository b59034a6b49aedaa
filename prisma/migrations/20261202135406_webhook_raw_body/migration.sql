-- AlterTable
ALTER TABLE "webhook_events" ADD COLUMN     "content_type" TEXT,
ADD COLUMN     "raw_body" BYTEA;
