/**
 * Importing pool numbers into Vapi (RP-007, VO-001). When the pool buys a Twilio number it also
 * imports it into Vapi so AI calls can be placed from it; the Vapi phone-number id is stored as
 * phone_numbers.voice_ref and later passed as OutboundCall.phoneNumberId.
 *
 * Verified in node_modules/@vapi-ai/server-sdk (2.0.1, Fern-generated):
 * - `client.phoneNumbers.list(ListPhoneNumbersRequest)` is `GET /phone-number` with the query
 *   params `limit` ("Defaults to 100") and `createdAt{Gt,Lt,Ge,Le}` / `updatedAt{Gt,Lt,Ge,Le}`;
 *   it returns a plain array of phone numbers (no cursor). There is no filter by number on this
 *   endpoint, so we match `number` exactly ourselves and page with the createdAt filters.
 * - `client.phoneNumbers.create(CreatePhoneNumbersRequest.Twilio)` is `POST /phone-number` with
 *   `{ provider: 'twilio', number, twilioAccountSid, twilioAuthToken?, name?, ... }`
 *   (CreateTwilioPhoneNumberDto) and answers the TwilioPhoneNumber `{ id, orgId, number,
 *   createdAt, updatedAt, status?, ... }`.
 * - Retries: the SDK retries 408/429/5xx, POST included; Vapi has no idempotency key. The
 *   client is built with `maxRetries: 0` and every request passes it again, so one
 *   importTwilioNumber() is at most one POST /phone-number.
 *
 * Idempotency: a POST whose answer is lost may still have imported the number, so the caller
 * (and importTwilioNumber itself) lists before creating: importTwilioNumber returns the
 * existing import of the same E.164 number instead of creating a second one.
 *
 * Errors: classifyVapiError (providers/vapi/calls.ts): 408/429/5xx, timeouts and network
 * failures are retryable ProviderErrors; 400 ('invalid_number' when Vapi complains about the
 * E.164 format, else 'invalid_request'), 401/403 'auth_failed', 404 and other 4xx are permanent.
 * The Twilio auth token is sent to Vapi only; it never appears in errors, logs or the sandbox.
 */
import { createHash } from 'node:crypto';
import type { Vapi } from '@vapi-ai/server-sdk';
import { ProviderError, type SandboxRecorder, type VoiceNumbers } from '../ports.js';
import { classifyVapiError } from './calls.js';
import { vapiClient } from './client.js';

const PROVIDER = 'vapi';

export interface VoiceNumberRegistry {
  /** The Vapi phone number whose `number` is exactly `e164`, or null when it was never imported. */
  findByNumber(e164: string): Promise<{ id: string } | null>;
  /** Imports a Twilio number into Vapi (or returns the existing import of that number). */
  importTwilioNumber(input: { e164: string; twilioAccountSid: string; twilioAuthToken: string; name: string }): Promise<{ id: string }>;
}

export interface VapiNumberRegistryOptions {
  /** The org's private API key (sent as `Authorization: Bearer`). */
  apiKey: string;
  /** Defaults to https://api.vapi.ai; tests pass the fake's base URL. */
  baseUrl?: string;
  /** Per-request timeout in milliseconds (the SDK's default is 60 s). */
  timeoutMs?: number;
}

/** Page size of GET /phone-number (Vapi's default is 100). */
export const VAPI_NUMBER_PAGE_SIZE = 100;
/** At most this many pages are read (VAPI_NUMBER_PAGE_SIZE * 50 numbers). */
const MAX_PAGES = 50;
/**
 * Phone-number names are cut to 40 characters: the limit Vapi's API applies to `name` as we
 * understand it (the SDK types do not carry maxLength, so this is not verified here; cutting is
 * harmless either way, the name is only for reference).
 */
export const VAPI_NUMBER_NAME_MAX = 40;

const E164 = /^\+[1-9]\d{6,14}$/;

type ListedNumber = Vapi.ListPhoneNumbersResponseItem;

/** The phone-number name sent to Vapi: trimmed and cut to Vapi's 40 characters. */
export function vapiNumberName(name: string): string {
  return name.trim().slice(0, VAPI_NUMBER_NAME_MAX);
}

export function createVapiNumberRegistry(opts: VapiNumberRegistryOptions): VoiceNumberRegistry {
  const { client, requestOptions } = vapiClient({ ...opts, ...(opts.timeoutMs ? { timeoutSeconds: opts.timeoutMs / 1000 } : {}) });

  /**
   * Pages through GET /phone-number until `e164` is found. Each page after the first continues
   * from the last item's createdAt in the order the server answered (newest first: createdAtLe;
   * oldest first: createdAtGe), inclusive so equal timestamps are not skipped, de-duplicated by
   * id. Stops at a short page or a page that adds nothing new.
   */
  async function find(e164: string): Promise<{ id: string } | null> {
    const seen = new Set<string>();
    let cursor: Pick<Vapi.ListPhoneNumbersRequest, 'createdAtLe' | 'createdAtGe'> = {};
    for (let page = 0; page < MAX_PAGES; page++) {
      let items: ListedNumber[];
      try {
        items = await client.phoneNumbers.list({ limit: VAPI_NUMBER_PAGE_SIZE, ...cursor }, requestOptions);
      } catch (err) {
        throw classifyVapiError(err);
      }
      if (!Array.isArray(items))
        throw new ProviderError(PROVIDER, 'invalid_response', 'Vapi GET /phone-number did not answer a list', false);
      let added = 0;
      for (const item of items) {
        if (!item?.id || seen.has(item.id)) continue;
        seen.add(item.id);
        added++;
        if (item.number === e164) return { id: item.id };
      }
      if (items.length < VAPI_NUMBER_PAGE_SIZE || added === 0) return null;
      const first = Date.parse(items[0]!.createdAt);
      const lastAt = items[items.length - 1]!.createdAt;
      const last = Date.parse(lastAt);
      if (Number.isNaN(first) || Number.isNaN(last)) return null;
      cursor = first >= last ? { createdAtLe: lastAt } : { createdAtGe: lastAt };
    }
    return null;
  }

  return {
    async findByNumber(e164) {
      return find(e164.trim());
    },

    async importTwilioNumber(input) {
      const number = input.e164.trim();
      const existing = await find(number);
      if (existing) return existing;
      const request: Vapi.CreatePhoneNumbersRequest.Twilio = {
        provider: 'twilio',
        number,
        twilioAccountSid: input.twilioAccountSid,
        twilioAuthToken: input.twilioAuthToken,
        name: vapiNumberName(input.name),
      };
      let created: Vapi.CreatePhoneNumbersResponse;
      try {
        created = await client.phoneNumbers.create(request, requestOptions);
      } catch (err) {
        throw classifyVapiError(err);
      }
      if (!created?.id) throw new ProviderError(PROVIDER, 'invalid_response', `Vapi imported ${number} but returned no id`, false);
      return { id: created.id };
    },
  };
}

// ---- Sandbox ---------------------------------------------------------------------------------

/** `sandbox-vapi-<24 hex of sha256(e164)>`: the same number always gets the same id. */
export function sandboxVapiNumberId(e164: string): string {
  return `sandbox-vapi-${createHash('sha256').update(e164.trim()).digest('hex').slice(0, 24)}`;
}

/**
 * The sandbox registry (no Vapi key): importTwilioNumber records
 * `{ provider: 'vapi', kind: 'phone_number_import', to: e164, payload: { name } }` (never the
 * Twilio credentials) and returns the deterministic sandboxVapiNumberId; like the real registry
 * it returns an earlier import of the same number without recording again. findByNumber finds
 * what this registry imported. A number that is not E.164 is a permanent 'invalid_number' (400),
 * as from Vapi.
 */
export function createSandboxVoiceNumberRegistry(recorder: SandboxRecorder): VoiceNumberRegistry {
  const imported = new Map<string, string>();
  return {
    async findByNumber(e164) {
      const id = imported.get(e164.trim());
      return id ? { id } : null;
    },
    async importTwilioNumber(input) {
      const number = input.e164.trim();
      if (!E164.test(number)) {
        throw new ProviderError(
          PROVIDER,
          'invalid_number',
          `number ${number} must be a valid phone number in the E.164 format`,
          false,
          400,
        );
      }
      const already = imported.get(number);
      if (already) return { id: already };
      const id = sandboxVapiNumberId(number);
      await recorder.record({ provider: PROVIDER, kind: 'phone_number_import', to: number, payload: { name: vapiNumberName(input.name) } });
      imported.set(number, id);
      return { id };
    },
  };
}

/** A voice-number registry with the Twilio account the numbers come from: find, else import. */
export function bindVoiceNumbers(registry: VoiceNumberRegistry, twilio?: { accountSid: string; authToken: string }): VoiceNumbers {
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
