/**
 * Unipile answers mapped to what the adapters return: a LinkedIn identifier from a slug, provider
 * id or profile URL; a `UserProfile` as the port's profile; an `Account` as the seat health (LI-006).
 */
import { ProviderError, type LinkedInProfile } from '../ports.js';
import { UNIPILE } from './errors.js';

export type UnipileAccountSourceStatus = 'OK' | 'CREDENTIALS' | 'ERROR' | 'STOPPED' | 'CONNECTING' | 'PERMISSIONS';

export interface UnipileAccountHealth {
  accountId: string;
  /**
   * The worst status over the account's sources (CREDENTIALS > PERMISSIONS > ERROR > STOPPED >
   * CONNECTING > OK); any status Unipile adds later is passed through as is. 'UNKNOWN' when the
   * account lists no source.
   */
  status: UnipileAccountSourceStatus | 'UNKNOWN' | (string & {});
  /** True when the seat cannot act and must pause (LI-006): anything but OK and CONNECTING. */
  restricted: boolean;
  /** CREDENTIALS: LinkedIn session lost or checkpoint, a human must reconnect the account. */
  needsReconnect: boolean;
  type?: string;
  name?: string;
  sources: Array<{ id: string; status: string }>;
}

/** The profile with the raw Unipile fields a caller may want beyond the port's. */
export interface UnipileLinkedInProfile extends LinkedInProfile {
  headline?: string;
  /** Unipile's `invitation` as returned: SENT by this account or RECEIVED from the lead. */
  invitation?: { type: string; status: string };
  isRelationship?: boolean;
}

/** The identifier Unipile takes from a slug, an `ACo…` provider id, or a profile URL. */
export function linkedInIdentifier(identifier: string): string {
  const trimmed = identifier.trim();
  const m = /linkedin\.com\/in\/([^/?#]+)/i.exec(trimmed);
  let slug = m ? m[1]! : trimmed.replace(/^\/+|\/+$/g, '');
  try {
    slug = decodeURIComponent(slug);
  } catch {
    // keep as given
  }
  if (slug === '') throw new ProviderError(UNIPILE, 'bad_request', `Not a LinkedIn identifier: "${identifier}"`, false);
  return slug;
}

const DISTANCES = new Set(['FIRST_DEGREE', 'SECOND_DEGREE', 'THIRD_DEGREE', 'OUT_OF_NETWORK']);
const DISTANCE_ALIASES: Record<string, LinkedInProfile['networkDistance']> = {
  DISTANCE_1: 'FIRST_DEGREE',
  DISTANCE_2: 'SECOND_DEGREE',
  DISTANCE_3: 'THIRD_DEGREE',
  OUT_OF_NETWORK: 'OUT_OF_NETWORK',
};

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

/** Maps a Unipile `UserProfile` (LinkedIn) to the port's profile. */
export function toLinkedInProfile(raw: Record<string, unknown>, requested: string): UnipileLinkedInProfile {
  const providerId = str(raw.provider_id);
  if (!providerId) {
    throw new ProviderError(UNIPILE, 'unexpected_response', `Unipile profile for "${requested}" has no provider_id`, false);
  }
  const rawDistance = str(raw.network_distance);
  let networkDistance: LinkedInProfile['networkDistance'] =
    rawDistance && DISTANCES.has(rawDistance)
      ? (rawDistance as LinkedInProfile['networkDistance'])
      : rawDistance
        ? DISTANCE_ALIASES[rawDistance]
        : undefined;
  if (!networkDistance && raw.is_relationship === true) networkDistance = 'FIRST_DEGREE';
  const inv = raw.invitation;
  const invitation =
    inv && typeof inv === 'object' && typeof (inv as Record<string, unknown>).status === 'string'
      ? { type: String((inv as Record<string, unknown>).type ?? ''), status: String((inv as Record<string, unknown>).status) }
      : undefined;
  const name = [str(raw.first_name), str(raw.last_name)].filter(Boolean).join(' ');
  return {
    providerId,
    publicIdentifier: str(raw.public_identifier) ?? requested,
    name: name === '' ? undefined : name,
    networkDistance,
    // Pending from THIS account: Unipile reports the invitation seen by the account in account_id.
    invitationPending: invitation?.type === 'SENT' && invitation.status === 'PENDING',
    headline: str(raw.headline),
    invitation,
    isRelationship: typeof raw.is_relationship === 'boolean' ? raw.is_relationship : undefined,
  };
}

const STATUS_SEVERITY = ['CREDENTIALS', 'PERMISSIONS', 'ERROR', 'STOPPED', 'CONNECTING', 'OK'];

/** Aggregates an `Account` object's sources into the seat health (LI-006). */
export function toAccountHealth(raw: Record<string, unknown>, accountId: string): UnipileAccountHealth {
  const sources = Array.isArray(raw.sources)
    ? raw.sources
        .filter((s): s is Record<string, unknown> => !!s && typeof s === 'object')
        .map((s) => ({ id: String(s.id ?? ''), status: String(s.status ?? 'UNKNOWN') }))
    : [];
  let status: string = 'UNKNOWN';
  if (sources.length > 0) {
    const rank = (s: string) => {
      const i = STATUS_SEVERITY.indexOf(s);
      return i === -1 ? 2.5 : i; // an unknown status ranks between ERROR and STOPPED: not healthy
    };
    status = sources.map((s) => s.status).sort((a, b) => rank(a) - rank(b))[0]!;
  }
  return {
    accountId: str(raw.id) ?? accountId,
    status,
    restricted: status !== 'OK' && status !== 'CONNECTING',
    needsReconnect: status === 'CREDENTIALS',
    type: str(raw.type),
    name: str(raw.name),
    sources,
  };
}
