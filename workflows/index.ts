// Every workflow the worker registers. Never rename a deployed workflow function.
export { onboardingWorkflow } from './onboarding.js';
