// Every workflow the worker registers. Never rename a deployed workflow function.
export { onboardingWorkflow } from './onboarding.js';
export { leadSequenceWorkflow } from './lead-sequence.js';
