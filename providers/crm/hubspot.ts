/**
 * The CRM port over HubSpot (SYS-004; PROVIDERS.md section 7) with the official
 * @hubspot/api-client 14: CRM v3 objects (search, create, update) for contacts, companies, deals
 * and meetings, and v4 default associations.
 *
 * HubSpot has no idempotency key, and Temporal retries an activity after a timeout even when the
 * first attempt's create landed. So every upsert searches its unique key first (email; domain,
 * else name; our deal key and booking uid in custom properties) and updates what it finds, else
 * creates. HubSpot's search index lags writes by seconds: a contact created by an earlier attempt
 * that search misses is refused with 409 "Contact already exists. Existing ID: 123", which gives
 * us its id to update. Other types have no such guard: a 409 on their create (a custom key property
 * made unique in the portal) is thrown as transient, so the retry searches again.
 *
 * Verified in node_modules/@hubspot/api-client/lib:
 * - `numberOfApiCallRetries: 0` adds no retry decorator (Temporal retries, not the SDK); no
 *   `limiterOptions`, no limiter. Decorators come from a process-wide singleton when an API object
 *   is first built, so ours are built at once, under this client's settings.
 * - Create answers 201 with the object, update 200, search 200 `{ total, results, paging }`, the
 *   v4 default association PUT 200; see hubspot-errors.ts for failures.
 * - `AssociationTypes` (root export) holds HubSpot's association type ids: deal->contact 3,
 *   primary deal->company 5, meeting->contact 200, meeting->deal 212.
 */
import { AssociationTypes, Client } from '@hubspot/api-client';
import {
  AssociationSpecAssociationCategoryEnum,
  FilterOperatorEnum,
  type PublicAssociationsForObject,
} from '@hubspot/api-client/lib/codegen/crm/objects/index.js';
import type { CrmClient, CrmContactInput, CrmDealInput, CrmMeetingInput } from '../ports/crm.js';
import { existingContactId, hubspotError, timed } from './hubspot-errors.js';
import { ProviderError } from '../ports/provider-error.js';

export const HUBSPOT_API_BASE_URL = 'https://api.hubapi.com';

/** HubSpot's default sales pipeline and its stage ids for our deal stages. */
export const HUBSPOT_DEFAULT_PIPELINE = 'default';
export const HUBSPOT_DEFAULT_STAGES: Record<CrmDealInput['stage'], string> = {
  meeting_booked: 'appointmentscheduled',
  meeting_cancelled: 'closedlost',
  meeting_held: 'qualifiedtobuy',
};
export const HUBSPOT_DEAL_KEY_PROPERTY = 'agency_os_deal_id';
export const HUBSPOT_MEETING_KEY_PROPERTY = 'agency_os_booking_uid';

/** hs_meeting_outcome values (HubSpot spells the cancelled one CANCELED). */
const MEETING_OUTCOMES: Record<CrmMeetingInput['status'], string> = {
  scheduled: 'SCHEDULED',
  rescheduled: 'RESCHEDULED',
  cancelled: 'CANCELED',
};

export interface HubSpotCrmOptions {
  /** A private app's access token (Authorization: Bearer). */
  accessToken: string;
  /** Defaults to https://api.hubapi.com; tests pass the fake's address. */
  basePath?: string;
  /** Internal pipeline id (default 'default'). */
  pipeline?: string;
  /** Internal stage ids by our stage (defaults: HUBSPOT_DEFAULT_STAGES). */
  stages?: Partial<Record<CrmDealInput['stage'], string>>;
  /** The deal property holding our deal key (a custom property the portal must have). */
  dealKeyProperty?: string;
  /** The meeting property holding the booking uid (a custom property the portal must have). */
  meetingKeyProperty?: string;
  /**
   * The contact property for the LinkedIn URL. HubSpot has no standard one and writing a property
   * the portal lacks fails the whole call (400), so unset means the URL is not written.
   */
  linkedinUrlProperty?: string;
  /** Per HTTP call (the SDK has none; default 30 s). */
  timeoutMs?: number;
}

type ObjectType = 'contacts' | 'companies' | 'deals' | 'meetings';
type Properties = Record<string, string>;

/** The properties with a value: absent or null fields are not sent, so the CRM keeps what it has. */
function present(values: Record<string, string | number | null | undefined>): Properties {
  const out: Properties = {};
  for (const [k, v] of Object.entries(values)) {
    if (v === null || v === undefined) continue;
    const s = String(v).trim();
    if (s !== '') out[k] = s;
  }
  return out;
}

/** A domain as HubSpot keeps it: no scheme, path, port or leading www., lower case. */
export function normalizeDomain(value: string): string {
  return value
    .trim()
    .toLowerCase()
    .replace(/^[a-z][a-z0-9+.-]*:\/\//, '')
    .replace(/[/?#:].*$/, '')
    .replace(/^www\./, '')
    .replace(/\.$/, '');
}

/** The oldest of several matches (HubSpot ids grow): duplicates made outside us resolve the same way every time. */
function oldest(ids: string[]): string | undefined {
  return [...ids].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))[0];
}

const association = (toId: string, typeId: number): PublicAssociationsForObject => ({
  to: { id: toId },
  types: [{ associationCategory: AssociationSpecAssociationCategoryEnum.HubspotDefined, associationTypeId: typeId }],
});

export function createHubSpotCrm(opts: HubSpotCrmOptions): CrmClient {
  if (!opts.accessToken) throw new Error('createHubSpotCrm: accessToken is required');
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const pipeline = opts.pipeline ?? HUBSPOT_DEFAULT_PIPELINE;
  const stages = { ...HUBSPOT_DEFAULT_STAGES, ...opts.stages };
  const dealKey = opts.dealKeyProperty ?? HUBSPOT_DEAL_KEY_PROPERTY;
  const meetingKey = opts.meetingKeyProperty ?? HUBSPOT_MEETING_KEY_PROPERTY;

  const client = new Client({ accessToken: opts.accessToken, basePath: opts.basePath ?? HUBSPOT_API_BASE_URL, numberOfApiCallRetries: 0 });
  // Built now: see the header (decorators are taken from a singleton when these are built).
  const { basicApi, searchApi } = client.crm.objects;
  const associationsApi = client.crm.associations.v4.basicApi;

  const call = <T>(op: string, fn: () => Promise<T>): Promise<T> =>
    timed(timeoutMs, fn).catch((err: unknown) => {
      throw hubspotError(op, err);
    });

  /** The id of the (oldest) record whose `property` equals `value`, if search finds one. */
  async function find(op: string, type: ObjectType, property: string, value: string): Promise<string | undefined> {
    const page = await call(`${op}: search ${type} by ${property}`, () =>
      searchApi.doSearch(type, {
        filterGroups: [{ filters: [{ propertyName: property, operator: FilterOperatorEnum.Eq, value }] }],
        properties: [property],
        limit: 100,
      }),
    );
    return oldest(page.results.map((r) => r.id));
  }

  async function update(op: string, type: ObjectType, id: string, properties: Properties): Promise<string> {
    if (Object.keys(properties).length === 0) return id;
    await call(`${op}: update ${type} ${id}`, () => basicApi.update(type, id, { properties }));
    return id;
  }

  /**
   * Updates the record a previous sync kept the id of; undefined when there is none, or when the
   * CRM no longer has it (deleted there: the caller finds or creates it again).
   */
  async function updateKnown(
    op: string,
    type: ObjectType,
    id: string | null | undefined,
    properties: Properties,
  ): Promise<string | undefined> {
    if (!id) return undefined;
    try {
      return await update(op, type, id, properties);
    } catch (err) {
      if (err instanceof ProviderError && err.code === 'not_found') return undefined;
      throw err;
    }
  }

  /** Creates; a 409 means the key exists already (an earlier attempt's record search does not see yet): transient. */
  async function create(op: string, type: ObjectType, properties: Properties, associations: PublicAssociationsForObject[] = []) {
    try {
      const created = await timed(timeoutMs, () => basicApi.create(type, { properties, associations }));
      return created.id;
    } catch (err) {
      const e = hubspotError(`${op}: create ${type}`, err);
      if ((e as { status?: number }).status === 409) throw new Error(`${e.message}; a retry finds it by search`, { cause: err });
      throw e;
    }
  }

  /** Idempotent: PUT of the default (unlabeled) association; one that exists already stays one. */
  async function associate(op: string, from: ObjectType, fromId: string, to: ObjectType, toId: string): Promise<void> {
    await call(`${op}: associate ${from} ${fromId} with ${to} ${toId}`, () => associationsApi.createDefault(from, fromId, to, toId));
  }

  function contactProperties(c: CrmContactInput): Properties {
    return present({
      firstname: c.firstName,
      lastname: c.lastName,
      phone: c.phone,
      jobtitle: c.title,
      company: c.company,
      ...(opts.linkedinUrlProperty ? { [opts.linkedinUrlProperty]: c.linkedinUrl } : {}),
    });
  }

  return {
    name: 'hubspot',

    async upsertContact(c) {
      const op = 'upsert contact';
      // HubSpot matches contacts by email without regard to case; one spelling keeps our search exact.
      const email = c.email.trim().toLowerCase();
      const properties = contactProperties(c);
      const found = await find(op, 'contacts', 'email', email);
      if (found) return update(op, 'contacts', found, properties);
      try {
        const created = await timed(timeoutMs, () =>
          basicApi.create('contacts', { properties: { ...properties, email }, associations: [] }),
        );
        return created.id;
      } catch (err) {
        const existing = existingContactId(err);
        if (existing === undefined) throw hubspotError(`${op}: create contacts`, err);
        return update(op, 'contacts', existing, properties);
      }
    },

    async upsertCompany(c) {
      const op = 'upsert company';
      const domain = c.domain ? normalizeDomain(c.domain) : '';
      const properties = present({ name: c.name, domain });
      const known = await updateKnown(op, 'companies', c.knownId, properties);
      if (known) return known;
      const found = domain ? await find(op, 'companies', 'domain', domain) : await find(op, 'companies', 'name', c.name.trim());
      return found ? update(op, 'companies', found, properties) : create(op, 'companies', properties);
    },

    async upsertDeal(d, links) {
      const op = 'upsert deal';
      const properties = present({
        dealname: d.name,
        pipeline,
        dealstage: stages[d.stage],
        amount: d.amount,
        closedate: d.closeDate,
      });
      const found = (await updateKnown(op, 'deals', d.knownId, properties)) ?? (await find(op, 'deals', dealKey, d.key));
      if (!found) {
        const associations = [association(links.contactId, AssociationTypes.dealToContact)];
        if (links.companyId) associations.push(association(links.companyId, AssociationTypes.primaryDealToCompany));
        return create(op, 'deals', { ...properties, [dealKey]: d.key }, associations);
      }
      await update(op, 'deals', found, properties);
      await associate(op, 'deals', found, 'contacts', links.contactId);
      if (links.companyId) await associate(op, 'deals', found, 'companies', links.companyId);
      return found;
    },

    async upsertMeeting(m, links) {
      const op = 'upsert meeting';
      const properties = present({
        hs_timestamp: m.startsAt,
        hs_meeting_title: m.title,
        hs_meeting_start_time: m.startsAt,
        hs_meeting_end_time: m.endsAt,
        hs_meeting_outcome: MEETING_OUTCOMES[m.status],
        hs_meeting_location: m.location,
        hs_meeting_body: m.notes,
      });
      const found = (await updateKnown(op, 'meetings', m.knownId, properties)) ?? (await find(op, 'meetings', meetingKey, m.key));
      if (!found) {
        return create(op, 'meetings', { ...properties, [meetingKey]: m.key }, [
          association(links.contactId, AssociationTypes.meetingToContact),
          association(links.dealId, AssociationTypes.meetingToDeal),
        ]);
      }
      await update(op, 'meetings', found, properties);
      await associate(op, 'meetings', found, 'contacts', links.contactId);
      await associate(op, 'meetings', found, 'deals', links.dealId);
      return found;
    },
  };
}
