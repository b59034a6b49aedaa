-- AlterEnum
ALTER TYPE "CampaignStatus" ADD VALUE 'stopped';
