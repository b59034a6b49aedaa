// Every workflow the worker registers. Never rename a deployed workflow function.
export { onboardingWorkflow } from './onboarding.js';
export { leadSequenceWorkflow } from './lead-sequence-workflow.js';
export { provisioningWorkflow } from './provisioning.js';
export { churnHoldWorkflow } from './churn-hold.js';
export { warmupWorkflow } from './warmup.js';
export { poolMonitorWorkflow } from './pool-monitor.js';
export { healthMonitorWorkflow } from './health-monitor.js';
export { conversationWorkflow } from './conversation.js';
export { crmSyncWorkflow } from './crm-sync.js';
export { knowledgeBaseWorkflow } from './knowledge-base.js';
export { mailboxReadingWorkflow } from './mailbox-reading.js';
export { campaignControlWorkflow } from './campaign-control.js';
export { dailyOutreachPrepWorkflow } from './outreach-prep.js';
export { outreachPrepZonesWorkflow } from './outreach-prep-zones.js';
export { recordingRetentionWorkflow } from './recording-retention.js';
