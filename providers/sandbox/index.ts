/**
 * Sandbox adapters: every provider port implemented by recording what would have been sent through
 * an injected SandboxRecorder, never by opening a socket. Used when a provider has no credentials
 * (config.sandbox) and in tests.
 *
 *   provider names in records: 'smtp' (email), 'twilio' (sms), 'vapi' (call), 'unipile'
 *   (invitation, message); ids start with 'sandbox_'.
 */
export { createMemoryRecorder, sandboxId, type MemoryRecorder, type RecordedEntry } from './recorder.js';
export { createSandboxEmailSender, createSandboxSmsSender, SANDBOX_PROVIDERS } from './messaging.js';
export { createSandboxVoiceCaller, createSandboxRecordingStore, type SandboxVoiceOptions } from './voice.js';
export { createSandboxVoiceKnowledgeBase } from './knowledge-base.js';
export { createSandboxLinkedInClient, linkedInSlug, sandboxLinkedInProviderId } from './linkedin.js';
export { createSandboxDncrRegister, type SandboxDncrOptions } from './dncr.js';
export { createSandboxEmailVerifier } from './email-verifier.js';
