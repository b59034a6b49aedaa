/**
 * NumberProvider over Twilio phone numbers (RP-007): search the country's available numbers and
 * buy one, tagged with our purchase tag in its FriendlyName, through the real `twilio` SDK
 * (client.ts: base URL injectable, SDK retries off, errors classified).
 *
 * - findNumbers(tag):  `client.incomingPhoneNumbers.list({ friendlyName: tag })`
 *                      (GET /2010-04-01/Accounts/{AC}/IncomingPhoneNumbers.json?FriendlyName=, every page).
 * - buyNumber(...):    `client.availablePhoneNumbers(country).mobile|local.list({ smsEnabled, voiceEnabled, limit: 5 })`
 *                      (GET .../AvailablePhoneNumbers/{Country}/Mobile.json), then
 *                      `client.incomingPhoneNumbers.create({ phoneNumber, friendlyName: tag, smsUrl, statusCallback, addressSid, bundleSid })`
 *                      (POST .../IncomingPhoneNumbers.json).
 *
 * Twilio has no idempotency key for a purchase, so the create is never sent twice for the same
 * number: the SDK's retries are off, and a failure without a definite answer (timeout, dropped
 * connection, 5xx, 429) rejects with a retryable ProviderError. The caller (the activity) must
 * then reconcile with findNumbers(tag) before buying again: the number may have been bought.
 * Only a definite "this number is no longer available" (400, Twilio error 21422: nothing was
 * bought) moves on to the next candidate of the same search, which is a different number.
 *
 * Permanent outcomes (ProviderError retryable=false): 'no_numbers_available' (the search found
 * nothing, or Twilio has no such number type in the country: 404), 'invalid_input' (bad country
 * or tag), plus client.ts's classification ('auth_failed', 'rejected', ...).
 */
import type { NumberProvider, OwnedNumber } from '../ports.js';
import { ProviderError } from '../ports.js';
import { classifyTwilioError, createTwilioClient, type TwilioAdapterOptions } from './client.js';

const PROVIDER = 'twilio';
/** How many candidates one search asks for. */
const SEARCH_LIMIT = 5;
/** Twilio's limit on FriendlyName. */
const FRIENDLY_NAME_MAX = 64;
/** "Phone number is not available" (someone else bought it between our search and our create). */
const NUMBER_NOT_AVAILABLE = 21422;

export interface TwilioNumberProviderOptions extends TwilioAdapterOptions {
  /** An Address (AD...) to attach: AU numbers usually have address requirements. */
  addressSid?: string;
  /** A regulatory Bundle (BU...) to attach. */
  bundleSid?: string;
  /** Which number type to search (default 'mobile': SMS and voice capable in AU). */
  numberType?: 'mobile' | 'local';
}

/** What we read of an IncomingPhoneNumber (the SDK's IncomingPhoneNumberInstance has these). */
interface IncomingNumberLike {
  sid?: string;
  phoneNumber?: string;
  friendlyName?: string;
}

function toOwnedNumber(n: IncomingNumberLike, fallbackTag?: string): OwnedNumber {
  if (!n?.sid || !n.phoneNumber) {
    throw new ProviderError(PROVIDER, 'invalid_response', 'Twilio returned a phone number without sid or phone_number', false);
  }
  return { ref: n.sid, e164: n.phoneNumber, tag: n.friendlyName ?? fallbackTag ?? '' };
}

function twilioCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : typeof code === 'string' && /^\d+$/.test(code) ? Number(code) : undefined;
}

function httpStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

export function createTwilioNumberProvider(opts: TwilioNumberProviderOptions): NumberProvider {
  const client = createTwilioClient(opts);
  const numberType = opts.numberType ?? 'mobile';

  async function search(country: string): Promise<string[]> {
    const context = client.availablePhoneNumbers(country);
    const filter = { smsEnabled: true, voiceEnabled: true, limit: SEARCH_LIMIT };
    let found: Array<{ phoneNumber?: string }>;
    try {
      found = numberType === 'local' ? await context.local.list(filter) : await context.mobile.list(filter);
    } catch (err) {
      if (httpStatus(err) === 404) {
        // Twilio answers 404 for a country or number type it does not offer.
        throw new ProviderError(
          PROVIDER,
          'no_numbers_available',
          `Twilio offers no ${numberType} numbers in ${country} (HTTP 404)`,
          false,
          404,
        );
      }
      throw classifyTwilioError(err);
    }
    return found.map((n) => n.phoneNumber).filter((n): n is string => typeof n === 'string' && n !== '');
  }

  return {
    async findNumbers(tag: string): Promise<OwnedNumber[]> {
      let numbers: IncomingNumberLike[];
      try {
        numbers = await client.incomingPhoneNumbers.list({ friendlyName: tag });
      } catch (err) {
        throw classifyTwilioError(err);
      }
      // The filter is Twilio's; keep only exact matches in case it ever matches loosely.
      return numbers.filter((n) => n.friendlyName === tag).map((n) => toOwnedNumber(n));
    },

    async buyNumber({ country, tag, smsUrl, statusCallback }): Promise<OwnedNumber> {
      const iso = country.trim().toUpperCase();
      if (!/^[A-Z]{2}$/.test(iso))
        throw new ProviderError(PROVIDER, 'invalid_input', `Not an ISO 3166 alpha-2 country code: "${country}"`, false);
      if (tag === '' || tag.length > FRIENDLY_NAME_MAX) {
        throw new ProviderError(
          PROVIDER,
          'invalid_input',
          `The purchase tag must be 1..${FRIENDLY_NAME_MAX} characters (Twilio FriendlyName)`,
          false,
        );
      }

      const candidates = await search(iso);
      if (candidates.length === 0) {
        throw new ProviderError(
          PROVIDER,
          'no_numbers_available',
          `Twilio has no SMS and voice capable ${numberType} number available in ${iso}`,
          false,
        );
      }

      let lastError: unknown;
      for (const phoneNumber of candidates) {
        try {
          const bought = await client.incomingPhoneNumbers.create({
            phoneNumber,
            friendlyName: tag,
            ...(smsUrl ? { smsUrl } : {}),
            ...(statusCallback ? { statusCallback } : {}),
            ...(opts.addressSid ? { addressSid: opts.addressSid } : {}),
            ...(opts.bundleSid ? { bundleSid: opts.bundleSid } : {}),
          });
          // After a 2xx the number is ours; an answer without sid is a non-retryable
          // invalid_response (never a blind re-buy), found again later by findNumbers(tag).
          return toOwnedNumber(bought, tag);
        } catch (err) {
          // 400 + 21422 is a definite "nothing bought": try the next candidate (a different number).
          if (httpStatus(err) === 400 && twilioCode(err) === NUMBER_NOT_AVAILABLE) {
            lastError = err;
            continue;
          }
          // Anything else, in particular no answer at all, is never re-sent here (see header).
          throw classifyTwilioError(err);
        }
      }
      const cause = classifyTwilioError(lastError);
      // Every candidate was taken in the meantime: a fresh search may find others, so retryable.
      throw new ProviderError(
        PROVIDER,
        'number_unavailable',
        `Every number found in ${iso} was bought by someone else before us: ${cause.message}`,
        true,
        cause.status,
      );
    },
  };
}
