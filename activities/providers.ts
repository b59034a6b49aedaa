/**
 * The provider adapters the activities use: each provider is real when its credentials are
 * set, sandbox (recorded in sandbox_outbox, not sent) otherwise. Email is decided per mailbox:
 * a mailbox with SMTP credentials sends through SMTP, one without is sandboxed.
 */
import type { AppConfig } from '../config/index.js';
import type { Db } from '../db/client.js';
import type {
  DncrRegister,
  EmailSender,
  LeadSource,
  LinkedInClient,
  RecordingStore,
  SandboxRecorder,
  SmsSender,
  VoiceCaller,
} from '../providers/ports.js';
import { createApolloLeadSource } from '../providers/apollo/people-search.js';
import { createSmtpEmailSender } from '../providers/email/smtp.js';
import { createTwilioSmsSender } from '../providers/twilio/sms.js';
import { createTwilioRecordingStore } from '../providers/twilio/recordings.js';
import { createVapiVoiceCaller } from '../providers/vapi/calls.js';
import { createUnipileLinkedInClient } from '../providers/unipile/client.js';
import { createDncrRegister } from '../providers/dncr/soap.js';
import {
  createSandboxDncrRegister,
  createSandboxEmailSender,
  createSandboxLinkedInClient,
  createSandboxRecordingStore,
  createSandboxSmsSender,
  createSandboxVoiceCaller,
} from '../providers/sandbox/index.js';
import {
  createSandboxDomainRegistrar,
  createSandboxNumberProvider,
  createSandboxSeatProvider,
  createSandboxWarmupService,
} from '../providers/sandbox/pool.js';
import { createInfraForgeRegistrar, type InfraForgeContact } from '../providers/forge/infraforge.js';
import { createWarmforgeService } from '../providers/forge/warmforge.js';
import { createTwilioNumberProvider } from '../providers/twilio/numbers.js';
import { createUnipileSeatProvider } from '../providers/unipile/seats.js';
import type { PoolProviders } from './pool.js';
import { createSandboxVoiceNumberRegistry, createVapiNumberRegistry, type VoiceNumberRegistry } from '../providers/vapi/phone-numbers.js';

/** A voice-number registry with the Twilio account the numbers come from: find, else import. */
export function bindVoiceNumbers(
  registry: VoiceNumberRegistry,
  twilio?: { accountSid: string; authToken: string },
): NonNullable<PoolProviders['voiceNumbers']> {
  return {
    async register(e164, name) {
      const found = await registry.findByNumber(e164);
      if (found) return found;
      return registry.importTwilioNumber({
        e164,
        name,
        twilioAccountSid: twilio?.accountSid ?? '',
        twilioAuthToken: twilio?.authToken ?? '',
      });
    },
  };
}

export interface ProviderSet {
  email: EmailSender;
  sms: SmsSender;
  voice: VoiceCaller;
  recordings: RecordingStore;
  linkedin: LinkedInClient;
  dncr: DncrRegister;
  /** A sourcing API (Apollo people search); absent without credentials. */
  leadSource?: LeadSource;
  /** Pool purchases: InfraForge, Warmforge, Twilio numbers, Unipile seats (RP-004..008); default sandbox. */
  pool?: PoolProviders;
}

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

export function createPoolProviders(config: Readonly<AppConfig>, recorder: SandboxRecorder): PoolProviders {
  const p = config.providers;
  const forge = p.forge;
  const twilio =
    p.twilio.accountSid && p.twilio.authToken
      ? { accountSid: p.twilio.accountSid, authToken: p.twilio.authToken, baseUrl: p.twilio.baseUrl }
      : undefined;
  return {
    registrar:
      forge.infraforgeKey && forge.infraforgeWorkspaceId
        ? createInfraForgeRegistrar({
            apiKey: forge.infraforgeKey,
            workspaceId: forge.infraforgeWorkspaceId,
            baseUrl: forge.infraforgeBaseUrl,
            contact: { ...PLACEHOLDER_CONTACT, ...(config.pool.domainContact ?? {}) } as InfraForgeContact,
          })
        : createSandboxDomainRegistrar(recorder),
    warmup:
      forge.warmforgeKey && forge.warmforgeWorkspaceId
        ? createWarmforgeService({ apiKey: forge.warmforgeKey, workspaceId: forge.warmforgeWorkspaceId, baseUrl: forge.warmforgeBaseUrl })
        : createSandboxWarmupService(recorder),
    numbers: twilio
      ? createTwilioNumberProvider({ ...twilio, addressSid: config.pool.twilioAddressSid, bundleSid: config.pool.twilioBundleSid })
      : createSandboxNumberProvider(recorder),
    seats:
      p.unipile.apiKey && p.unipile.dsn
        ? createUnipileSeatProvider({ dsn: p.unipile.dsn, apiKey: p.unipile.apiKey })
        : createSandboxSeatProvider(recorder),
    // Real Vapi imports need real Twilio numbers: both configured, or both sandboxed.
    voiceNumbers:
      p.vapi.apiKey && twilio
        ? bindVoiceNumbers(
            createVapiNumberRegistry({ apiKey: p.vapi.apiKey, ...(p.vapi.baseUrl ? { baseUrl: p.vapi.baseUrl } : {}) }),
            twilio,
          )
        : bindVoiceNumbers(createSandboxVoiceNumberRegistry(recorder)),
  };
}

/** Sandbox records go to Postgres (sandbox_outbox), where operators can see them. */
export function dbSandboxRecorder(db: Db): SandboxRecorder {
  return {
    async record(entry) {
      await db.system.sandboxOutbox.create({
        data: { provider: entry.provider, kind: entry.kind, to: entry.to, payload: (entry.payload ?? {}) as object },
      });
    },
  };
}

export function createProviderSet(config: Readonly<AppConfig>, recorder: SandboxRecorder): ProviderSet {
  const p = config.providers;
  const smtp = createSmtpEmailSender();
  const sandboxEmail = createSandboxEmailSender(recorder);
  const email: EmailSender = {
    send: (m) => (m.smtp.host === 'sandbox' ? sandboxEmail.send(m) : smtp.send(m)),
  };
  const twilio =
    p.twilio.accountSid && p.twilio.authToken
      ? { accountSid: p.twilio.accountSid, authToken: p.twilio.authToken, baseUrl: p.twilio.baseUrl }
      : undefined;
  return {
    email,
    sms: twilio ? createTwilioSmsSender(twilio) : createSandboxSmsSender(recorder),
    recordings: twilio ? createTwilioRecordingStore(twilio) : createSandboxRecordingStore(),
    voice: p.vapi.apiKey ? createVapiVoiceCaller({ apiKey: p.vapi.apiKey, baseUrl: p.vapi.baseUrl }) : createSandboxVoiceCaller(recorder),
    linkedin:
      p.unipile.apiKey && p.unipile.dsn
        ? createUnipileLinkedInClient({ dsn: p.unipile.dsn, apiKey: p.unipile.apiKey })
        : createSandboxLinkedInClient(recorder),
    leadSource: p.apollo.apiKey ? createApolloLeadSource({ apiKey: p.apollo.apiKey, baseUrl: p.apollo.baseUrl }) : undefined,
    dncr:
      p.dncr.telemarketerId && p.dncr.password
        ? createDncrRegister({
            endpoint: p.dncr.endpoint,
            telemarketerId: p.dncr.telemarketerId,
            washOnlyUserId: p.dncr.washOnlyUserId,
            password: p.dncr.password,
          })
        : createSandboxDncrRegister(),
    pool: createPoolProviders(config, recorder),
  };
}
