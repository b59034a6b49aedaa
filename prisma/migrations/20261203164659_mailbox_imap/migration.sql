-- AlterTable
ALTER TABLE "mailboxes" ADD COLUMN     "imap" JSONB,
ADD COLUMN     "imap_cursor" JSONB,
ADD COLUMN     "imap_error" TEXT,
ADD COLUMN     "imap_read_at" TIMESTAMPTZ(3);
