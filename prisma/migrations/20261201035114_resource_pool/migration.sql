-- AlterTable
ALTER TABLE "alerts" ADD COLUMN     "notified_at" TIMESTAMPTZ(3),
ADD COLUMN     "notify_error" TEXT;

-- AlterTable
ALTER TABLE "domains" ADD COLUMN     "retired_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "linkedin_seats" ADD COLUMN     "accept_rate" DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "subscriptions" ADD COLUMN     "billing_state" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "paid_at" TIMESTAMPTZ(3),
ALTER COLUMN "stripe_customer_id" DROP NOT NULL,
ALTER COLUMN "tier" DROP NOT NULL;

-- CreateTable
CREATE TABLE "pool_purchases" (
    "id" UUID NOT NULL,
    "tag" TEXT NOT NULL,
    "resource_type" "ResourceType" NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'requested',
    "details" JSONB NOT NULL DEFAULT '{}',
    "provider_ref" TEXT,
    "resource_id" UUID,
    "reason" TEXT NOT NULL,
    "error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pool_purchases_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pool_snapshots" (
    "id" UUID NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL,
    "resource_type" "ResourceType" NOT NULL,
    "ready_unallocated" INTEGER NOT NULL,
    "allocated" INTEGER NOT NULL,
    "pending" INTEGER NOT NULL,
    "buffer" DOUBLE PRECISION,
    "level" TEXT NOT NULL,

    CONSTRAINT "pool_snapshots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "health_snapshots" (
    "resource_type" "ResourceType" NOT NULL,
    "resource_id" UUID NOT NULL,
    "day" TEXT NOT NULL,
    "health_class" TEXT NOT NULL,
    "metrics" JSONB NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "health_snapshots_pkey" PRIMARY KEY ("resource_type","resource_id","day")
);

-- CreateIndex
CREATE UNIQUE INDEX "pool_purchases_tag_key" ON "pool_purchases"("tag");

-- CreateIndex
CREATE INDEX "pool_purchases_resource_type_status_idx" ON "pool_purchases"("resource_type", "status");

-- CreateIndex
CREATE INDEX "pool_snapshots_resource_type_taken_at_idx" ON "pool_snapshots"("resource_type", "taken_at");
