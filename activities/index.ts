/** All activities the worker registers, built from their dependencies (DESIGN.md convention 3). */
import { createOnboardingActivities, type OnboardingDeps } from './onboarding.js';

export type ActivityDeps = OnboardingDeps;

export function createActivities(deps: ActivityDeps) {
  return {
    ...createOnboardingActivities(deps),
  };
}
export type Activities = ReturnType<typeof createActivities>;
