/**
 * SeatProvider over Unipile (RP-008, LI-001): the LinkedIn accounts ("seats") connected to the
 * workspace, hosted-auth links to connect a new one, and withdrawing a seat's pending invitations.
 * Same SDK + transport as client.ts (`createUnipileSdk`): the official `unipile-node-sdk`
 * resources build each request, our UnipileTransport sends it once (no retries) with a timeout
 * and classifies failures (errors.ts).
 *
 * - listLinkedInAccounts(): `sdk.account.getAll({ limit, cursor })` (GET /api/v1/accounts), every
 *   page (`cursor` until null), keeping items of type LINKEDIN. The status is the worst over the
 *   account's sources (toAccountHealth in client.ts: CREDENTIALS > PERMISSIONS > ERROR > STOPPED >
 *   CONNECTING > OK; 'UNKNOWN' without sources).
 * - requestSeatLink(): `sdk.account.createHostedAuthLink({ type: 'create', providers: ['LINKEDIN'],
 *   api_url: <DSN>, expiresOn, name, notify_url })` (POST /api/v1/hosted/accounts/link), answered
 *   `{ object: 'HostedAuthURL', url }`. When the operator has connected the account, Unipile POSTs
 *   `{ status: 'CREATION_SUCCESS', account_id, name }` to notify_url: `name` is how the caller
 *   recognises its request. Creating a link buys nothing, so a retry is harmless.
 * - cancelInvitation(): `sdk.users.cancelInvitationSent({ account_id, invitation_id })`
 *   (DELETE /api/v1/users/invite/sent/{id}?account_id=). A 404 means the invitation is already
 *   gone (withdrawn, accepted or expired): resolved, so a retried release is idempotent.
 */
import { ProviderError, type SeatAccount, type SeatProvider } from '../ports.js';
import { createUnipileSdk, normalizeUnipileBaseUrl, toAccountHealth, type UnipileClientOptions } from './client.js';
import { UNIPILE } from './errors.js';
import { cancelSentInvitation } from './invitations.js';

/** Accounts asked for per page (Unipile allows 1..250). */
const ACCOUNTS_PAGE_SIZE = 100;
/** A guard against a provider that keeps answering a cursor: 100 pages of 100 accounts. */
const MAX_ACCOUNT_PAGES = 100;

export type UnipileSeatProviderOptions = UnipileClientOptions;

/** A LinkedIn seat with the health flags of client.ts's UnipileAccountHealth. */
export interface UnipileSeatAccount extends SeatAccount {
  /** True when the seat cannot act and must pause (LI-006): anything but OK and CONNECTING. */
  restricted: boolean;
  /** CREDENTIALS: a human must reconnect the account. */
  needsReconnect: boolean;
}

export interface UnipileSeatProvider extends SeatProvider {
  listLinkedInAccounts(): Promise<UnipileSeatAccount[]>;
}

function isoWithMillis(value: string): string {
  const at = new Date(value);
  if (value.trim() === '' || Number.isNaN(at.getTime())) {
    throw new ProviderError(UNIPILE, 'bad_request', `Not a date-time for the hosted-auth link expiry: "${value}"`, false);
  }
  // The SDK's schema wants UTC with milliseconds (`2026-11-30T12:00:00.000Z`).
  return at.toISOString();
}

export function createUnipileSeatProvider(opts: UnipileSeatProviderOptions): UnipileSeatProvider {
  const sdk = createUnipileSdk(opts);
  const apiUrl = normalizeUnipileBaseUrl(opts.dsn);

  return {
    async listLinkedInAccounts() {
      const seats: UnipileSeatAccount[] = [];
      const seen = new Set<string>();
      let cursor: string | undefined;
      for (let page = 0; ; page++) {
        if (page >= MAX_ACCOUNT_PAGES) {
          throw new ProviderError(
            UNIPILE,
            'unexpected_response',
            `Unipile GET /accounts still had a cursor after ${MAX_ACCOUNT_PAGES} pages`,
            false,
          );
        }
        const raw = (await sdk.account.getAll({ limit: ACCOUNTS_PAGE_SIZE, ...(cursor ? { cursor } : {}) })) as unknown as Record<
          string,
          unknown
        >;
        const items = Array.isArray(raw.items) ? raw.items : [];
        for (const item of items) {
          if (!item || typeof item !== 'object') continue;
          const account = item as Record<string, unknown>;
          if (account.type !== 'LINKEDIN' || typeof account.id !== 'string' || account.id === '') continue;
          if (seen.has(account.id)) continue; // an account moving between pages while we read
          seen.add(account.id);
          const health = toAccountHealth(account, account.id);
          seats.push({
            accountRef: health.accountId,
            ...(health.name ? { name: health.name } : {}),
            status: health.status,
            restricted: health.restricted,
            needsReconnect: health.needsReconnect,
          });
        }
        const next = typeof raw.cursor === 'string' && raw.cursor !== '' ? raw.cursor : undefined;
        if (!next) return seats;
        if (next === cursor)
          throw new ProviderError(UNIPILE, 'unexpected_response', 'Unipile GET /accounts answered the same cursor twice', false);
        cursor = next;
      }
    },

    async requestSeatLink({ name, expiresAt, notifyUrl }) {
      const raw = (await sdk.account.createHostedAuthLink({
        type: 'create',
        providers: ['LINKEDIN'],
        api_url: apiUrl,
        expiresOn: isoWithMillis(expiresAt),
        name,
        ...(notifyUrl ? { notify_url: notifyUrl } : {}),
      })) as unknown as Record<string, unknown>;
      const url = typeof raw.url === 'string' ? raw.url : '';
      if (url === '')
        throw new ProviderError(UNIPILE, 'unexpected_response', 'Unipile POST /hosted/accounts/link answered without a url', false);
      return { url };
    },

    async cancelInvitation(accountRef, invitationRef) {
      await cancelSentInvitation(sdk, accountRef, invitationRef); // a 404 (already gone) is 'not_pending'
    },
  };
}
