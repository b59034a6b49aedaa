/**
 * The provider adapters, chosen once from configuration: each provider is real when its
 * credentials are set, sandbox (recorded through the SandboxRecorder, not sent) otherwise. Email
 * is chosen once too (config.sandbox.email, EMAIL_DELIVERY): the sandbox records every email, or
 * SMTP sends each over its mailbox's account, and then a mailbox without SMTP credentials never
 * sends (never through the sandbox either). The DNCR register is the ACMA one, a sandbox one,
 * or, with AU_CALLS_AND_SMS=off, one that refuses every wash (config.providers.dncr.mode).
 * Person enrichment (Apollo people match) is absent without APOLLO_API_KEY; email verification is
 * ZeroBounce with ZEROBOUNCE_API_KEY, else the sandbox verifier (verifies nothing).
 * Our own mailboxes are read over IMAP in every mode: a mailbox without an IMAP account (or with
 * the sandbox registrar's) is simply not read (services/mailbox-reading.ts).
 * `sandboxProviders` is the all-sandbox set (tests, demos).
 */
import { createTemplateContentEngine } from '../providers/content/template-engine.js';
import type { AppConfig } from '../config/index.js';
import type {
  BillingCheckout,
  ContentEngine,
  CrmClientFactory,
  DncrRegister,
  MailboxReader,
  PoolProviders,
  ProviderSet,
  SandboxRecorder,
} from '../providers/ports.js';
import { createOpenAiContentEngine } from '../providers/content/openai-engine.js';
import { createHubSpotCrm } from '../providers/crm/hubspot.js';
import { createApolloLeadSource } from '../providers/apollo/people-search.js';
import { createApolloPersonEnricher } from '../providers/apollo/people-match.js';
import { createZeroBounceVerifier } from '../providers/zerobounce/verifier.js';
import { createSmtpEmailSender } from '../providers/email/smtp.js';
import { createImapMailboxReader } from '../providers/email/imap-reader.js';
import type { ImapAccount } from '../providers/ports/provider-sets.js';
import { createTwilioSmsSender } from '../providers/twilio/sms.js';
import { createTwilioRecordingStore } from '../providers/twilio/recordings.js';
import { createTwilioNumberProvider } from '../providers/twilio/numbers.js';
import { createVapiVoiceCaller } from '../providers/vapi/calls.js';
import { createVapiKnowledgeBase } from '../providers/vapi/knowledge-base.js';
import { bindVoiceNumbers, createSandboxVoiceNumberRegistry, createVapiNumberRegistry } from '../providers/vapi/phone-numbers.js';
import { createUnipileLinkedInClient } from '../providers/unipile/client.js';
import { createUnipileSeatProvider } from '../providers/unipile/seats.js';
import { createDncrRegister } from '../providers/dncr/soap.js';
import { createRefusingDncrRegister } from '../providers/dncr/refusing.js';
import { createInfraForgeRegistrar, type InfraForgeContact } from '../providers/forge/infraforge.js';
import { createWarmforgeService } from '../providers/forge/warmforge.js';
import { createSandboxCheckout, createStripeCheckout } from '../providers/stripe/checkout.js';
import {
  createSandboxDncrRegister,
  createSandboxEmailSender,
  createSandboxEmailVerifier,
  createSandboxLinkedInClient,
  createSandboxRecordingStore,
  createSandboxSmsSender,
  createSandboxVoiceCaller,
  createSandboxVoiceKnowledgeBase,
} from '../providers/sandbox/index.js';
import {
  createSandboxDomainRegistrar,
  createSandboxNumberProvider,
  createSandboxSeatProvider,
  createSandboxWarmupService,
} from '../providers/sandbox/pool.js';

/** The registrant of pool domains when POOL_DOMAIN_CONTACT is not set (sandbox and tests only). */
const PLACEHOLDER_CONTACT: InfraForgeContact = {
  firstName: 'Agency',
  lastName: 'Operator',
  email: 'domains@agency-os.invalid',
  phone: '+61.290000000',
  organization: 'Agency OS',
  address1: '1 Example Street',
  city: 'Sydney',
  province: 'NSW',
  postalCode: '2000',
  country: 'AU',
};

/** Every provider in sandbox mode; `overrides` replace single ports (a fake-backed adapter, a sandbox register with entries). */
export function sandboxProviders(recorder: SandboxRecorder, overrides: Partial<ProviderSet> = {}): ProviderSet {
  return {
    email: createSandboxEmailSender(recorder),
    sms: createSandboxSmsSender(recorder),
    voice: createSandboxVoiceCaller(recorder),
    voiceKnowledgeBase: createSandboxVoiceKnowledgeBase(recorder),
    recordings: createSandboxRecordingStore(),
    linkedin: createSandboxLinkedInClient(recorder),
    dncr: createSandboxDncrRegister(),
    emailVerifier: createSandboxEmailVerifier(),
    pool: sandboxPoolProviders(recorder),
    content: createTemplateContentEngine(),
    crm: hubspotFactory(undefined),
    mailboxReader: imapReader,
    ...overrides,
  };
}

export function sandboxPoolProviders(recorder: SandboxRecorder): PoolProviders {
  return {
    registrar: createSandboxDomainRegistrar(recorder),
    warmup: createSandboxWarmupService(recorder),
    numbers: createSandboxNumberProvider(recorder),
    seats: createSandboxSeatProvider(recorder),
    voiceNumbers: bindVoiceNumbers(createSandboxVoiceNumberRegistry(recorder)),
  };
}

function twilioOf(config: Readonly<AppConfig>) {
  const t = config.providers.twilio;
  return t.accountSid && t.authToken ? { accountSid: t.accountSid, authToken: t.authToken, baseUrl: t.baseUrl } : undefined;
}

export function createPoolProviders(config: Readonly<AppConfig>, recorder: SandboxRecorder): PoolProviders {
  const { forge, vapi, unipile } = config.providers;
  const sandbox = sandboxPoolProviders(recorder);
  const twilio = twilioOf(config);
  return {
    registrar:
      forge.infraforgeKey && forge.infraforgeWorkspaceId
        ? createInfraForgeRegistrar({
            apiKey: forge.infraforgeKey,
            workspaceId: forge.infraforgeWorkspaceId,
            baseUrl: forge.infraforgeBaseUrl,
            contact: { ...PLACEHOLDER_CONTACT, ...(config.pool.domainContact ?? {}) } as InfraForgeContact,
          })
        : sandbox.registrar,
    warmup:
      forge.warmforgeKey && forge.warmforgeWorkspaceId
        ? createWarmforgeService({ apiKey: forge.warmforgeKey, workspaceId: forge.warmforgeWorkspaceId, baseUrl: forge.warmforgeBaseUrl })
        : sandbox.warmup,
    numbers: twilio
      ? createTwilioNumberProvider({ ...twilio, addressSid: config.pool.twilioAddressSid, bundleSid: config.pool.twilioBundleSid })
      : sandbox.numbers,
    seats: unipile.apiKey && unipile.dsn ? createUnipileSeatProvider({ dsn: unipile.dsn, apiKey: unipile.apiKey }) : sandbox.seats,
    // Real Vapi imports need real Twilio numbers: both configured, or both sandboxed.
    voiceNumbers:
      vapi.apiKey && twilio
        ? bindVoiceNumbers(createVapiNumberRegistry({ apiKey: vapi.apiKey, ...(vapi.baseUrl ? { baseUrl: vapi.baseUrl } : {}) }), twilio)
        : sandbox.voiceNumbers,
  };
}

export function createProviderSet(config: Readonly<AppConfig>, recorder: SandboxRecorder): ProviderSet {
  const p = config.providers;
  const sandbox = sandboxProviders(recorder);
  const twilio = twilioOf(config);
  return {
    email: config.sandbox.email ? sandbox.email : createSmtpEmailSender(),
    sms: twilio ? createTwilioSmsSender(twilio) : sandbox.sms,
    recordings: twilio ? createTwilioRecordingStore(twilio) : sandbox.recordings,
    voice: p.vapi.apiKey ? createVapiVoiceCaller({ apiKey: p.vapi.apiKey, baseUrl: p.vapi.baseUrl }) : sandbox.voice,
    voiceKnowledgeBase: p.vapi.apiKey
      ? createVapiKnowledgeBase({ apiKey: p.vapi.apiKey, baseUrl: p.vapi.baseUrl })
      : sandbox.voiceKnowledgeBase,
    linkedin:
      p.unipile.apiKey && p.unipile.dsn ? createUnipileLinkedInClient({ dsn: p.unipile.dsn, apiKey: p.unipile.apiKey }) : sandbox.linkedin,
    ...(p.apollo.apiKey
      ? {
          leadSource: createApolloLeadSource({ apiKey: p.apollo.apiKey, baseUrl: p.apollo.baseUrl }),
          personEnricher: createApolloPersonEnricher({ apiKey: p.apollo.apiKey, baseUrl: p.apollo.baseUrl }),
        }
      : {}),
    emailVerifier: p.zerobounce.apiKey
      ? createZeroBounceVerifier({ apiKey: p.zerobounce.apiKey, baseUrl: p.zerobounce.baseUrl })
      : sandbox.emailVerifier,
    dncr: dncrRegisterOf(config, sandbox.dncr),
    pool: createPoolProviders(config, recorder),
    content: contentEngineOf(config, sandbox.content),
    crm: hubspotFactory(p.hubspot.baseUrl),
    mailboxReader: imapReader,
  };
}

/**
 * A reader of one mailbox: only the account's five fields reach imapflow (never test-only options
 * such as self-signed certificates from a stored row). Reading our own mailbox sends nothing, so
 * the sandbox reads for real too.
 */
function imapReader(account: ImapAccount): MailboxReader {
  const { host, port, secure, user, pass } = account;
  return createImapMailboxReader({ host, port, secure, user, pass });
}

/** The CRM of a client's connection: HubSpot (at HUBSPOT_BASE_URL when set: a test fake). */
function hubspotFactory(basePath: string | undefined): CrmClientFactory {
  return (c) =>
    createHubSpotCrm({
      accessToken: c.accessToken,
      ...(basePath ? { basePath } : {}),
      ...(c.pipeline ? { pipeline: c.pipeline } : {}),
      ...(c.stages ? { stages: c.stages } : {}),
    });
}

/** The LLM engine with OPENAI_API_KEY (its answers checked, the templates as fallback), else the templates. */
function contentEngineOf(config: Readonly<AppConfig>, templates: ContentEngine): ContentEngine {
  const o = config.providers.openai;
  if (!o.apiKey) return templates;
  return createOpenAiContentEngine({ apiKey: o.apiKey, model: o.model, ...(o.baseUrl ? { baseURL: o.baseUrl } : {}) });
}

function dncrRegisterOf(config: Readonly<AppConfig>, sandbox: DncrRegister): DncrRegister {
  const d = config.providers.dncr;
  if (d.mode === 'refuse') return createRefusingDncrRegister();
  if (d.mode === 'sandbox' || !d.telemarketerId || !d.password) return sandbox;
  return createDncrRegister({
    endpoint: d.endpoint,
    telemarketerId: d.telemarketerId,
    washOnlyUserId: d.washOnlyUserId,
    password: d.password,
  });
}

/** Stripe Checkout: the real API with STRIPE_SECRET_KEY, else a sandbox checkout (a local URL, recorded). */
export function createCheckout(config: Readonly<AppConfig>, recorder: SandboxRecorder): BillingCheckout {
  const stripe = config.providers.stripe;
  return stripe.secretKey
    ? createStripeCheckout({ secretKey: stripe.secretKey, ...(stripe.baseUrl ? { baseUrl: stripe.baseUrl } : {}) })
    : createSandboxCheckout(recorder, config.api.publicBaseUrlOrDefault);
}
