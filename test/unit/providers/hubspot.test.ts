/**
 * The HubSpot CRM adapter (SYS-004: booking -> deal -> CRM push) with the real
 * `@hubspot/api-client` against test/fakes/hubspot-fake.ts (HubSpot's wire format on a real HTTP
 * server). Expected values come from HubSpot's documented API (PROVIDERS.md section 7): property
 * names, association type ids 3 (deal->contact), 5 (primary deal->company), 200
 * (meeting->contact), 212 (meeting->deal), the default pipeline's stage ids, the 409 conflict.
 */
import { describe, expect, it } from 'vitest';
import { createHubSpotCrm, type HubSpotCrmOptions } from '../../../providers/crm/hubspot.js';
import { hubspotError, timed } from '../../../providers/crm/hubspot-errors.js';
import { ProviderError } from '../../../providers/ports.js';
import type { CrmClient, CrmCompanyInput, CrmContactInput, CrmDealInput, CrmIds, CrmMeetingInput } from '../../../providers/ports/crm.js';
import { HUBSPOT_DEFAULT_PIPELINE_STAGES, HubSpotFake } from '../../fakes/hubspot-fake.js';
import { rejection, useFake } from '../../helpers/assertions.js';

const TOKEN = 'pat-na1-6f1e2d3c-0000-4000-8000-123456789abc';
const fake = new HubSpotFake({ accessToken: TOKEN });
const fakeAt = useFake(fake);

const crm = (o: Partial<HubSpotCrmOptions> = {}): CrmClient => createHubSpotCrm({ accessToken: TOKEN, basePath: fakeAt.baseUrl, ...o });

const CONTACT: CrmContactInput = {
  email: 'Sam.Lee@Acme.com.au',
  firstName: 'Sam',
  lastName: 'Lee',
  phone: '+61412345678',
  title: 'Head of Sales',
  linkedinUrl: 'https://www.linkedin.com/in/sam-lee',
  company: 'Acme Pty Ltd',
};
const COMPANY: CrmCompanyInput = { name: 'Acme Pty Ltd', domain: 'https://www.Acme.com.au/' };
const DEAL: CrmDealInput = {
  key: 'deal_01HX4Q',
  name: 'Acme Pty Ltd: Sam Lee',
  stage: 'meeting_booked',
  amount: 12000,
  closeDate: '2026-04-30',
};
const MEETING: CrmMeetingInput = {
  key: 'bk_9f2c71',
  title: 'Discovery call: Acme x Agency',
  startsAt: '2026-03-10T23:00:00.000Z',
  endsAt: '2026-03-10T23:30:00.000Z',
  status: 'scheduled',
  location: 'https://meet.google.com/abc-defg-hij',
  notes: 'Booked after email step 2',
};

interface SyncInput {
  contact: CrmContactInput;
  company: CrmCompanyInput;
  deal: CrmDealInput;
  meeting: CrmMeetingInput;
}

/** What the crm-sync workflow does with one booking: contact, company, deal, meeting. */
async function sync(client: CrmClient, input: Partial<SyncInput> = {}): Promise<CrmIds> {
  const { contact = CONTACT, company = COMPANY, deal = DEAL, meeting = MEETING } = input;
  const contactId = await client.upsertContact(contact);
  const companyId = await client.upsertCompany(company);
  const dealId = await client.upsertDeal(deal, { contactId, companyId });
  const meetingId = await client.upsertMeeting(meeting, { contactId, dealId });
  return { contactId, companyId, dealId, meetingId };
}

const counts = () => ({
  contacts: fake.objects('contacts').length,
  companies: fake.objects('companies').length,
  deals: fake.objects('deals').length,
  meetings: fake.objects('meetings').length,
});
const creates = (from = 0) => fake.requests.slice(from).filter((r) => r.method === 'POST' && /^\/crm\/v3\/objects\/[^/]+$/.test(r.path));
const searchFilters = (type: string) =>
  fake.requestsTo('POST', `/crm/v3/objects/${type}/search`).map((r) => (r.body as { filterGroups?: unknown }).filterGroups);

/** Awaits a rejection that must be a transient failure: a plain Error, not a ProviderError. */
async function transient(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  expect(err).not.toBeInstanceOf(ProviderError);
  return err as Error;
}

describe('SYS-004: a first sync pushes the booking to HubSpot', () => {
  it('SYS-004: creates the contact, company, deal (booked stage, linked) and meeting (scheduled, linked)', async () => {
    const ids = await sync(crm());

    expect(counts()).toEqual({ contacts: 1, companies: 1, deals: 1, meetings: 1 });
    const contact = fake.objects('contacts')[0]!;
    expect(contact.id).toBe(ids.contactId);
    expect(contact.properties).toMatchObject({
      email: 'sam.lee@acme.com.au',
      firstname: 'Sam',
      lastname: 'Lee',
      phone: '+61412345678',
      jobtitle: 'Head of Sales',
      company: 'Acme Pty Ltd',
    });
    const company = fake.objects('companies')[0]!;
    expect(company.id).toBe(ids.companyId);
    expect(company.properties).toMatchObject({ name: 'Acme Pty Ltd', domain: 'acme.com.au' });

    const deal = fake.objects('deals')[0]!;
    expect(deal.id).toBe(ids.dealId);
    expect(deal.properties).toMatchObject({
      dealname: 'Acme Pty Ltd: Sam Lee',
      pipeline: 'default',
      dealstage: 'appointmentscheduled',
      amount: '12000',
      closedate: '2026-04-30',
      agency_os_deal_id: 'deal_01HX4Q',
    });
    expect(fake.associationsOf('deals', ids.dealId)).toEqual([
      { toType: 'contacts', toId: ids.contactId, typeId: 3 },
      { toType: 'companies', toId: ids.companyId, typeId: 5 },
    ]);

    const meeting = fake.objects('meetings')[0]!;
    expect(meeting.id).toBe(ids.meetingId);
    expect(meeting.properties).toMatchObject({
      hs_timestamp: '2026-03-10T23:00:00.000Z',
      hs_meeting_title: 'Discovery call: Acme x Agency',
      hs_meeting_start_time: '2026-03-10T23:00:00.000Z',
      hs_meeting_end_time: '2026-03-10T23:30:00.000Z',
      hs_meeting_outcome: 'SCHEDULED',
      hs_meeting_location: 'https://meet.google.com/abc-defg-hij',
      hs_meeting_body: 'Booked after email step 2',
      agency_os_booking_uid: 'bk_9f2c71',
    });
    expect(fake.associationsOf('meetings', ids.meetingId!)).toEqual([
      { toType: 'contacts', toId: ids.contactId, typeId: 200 },
      { toType: 'deals', toId: ids.dealId, typeId: 212 },
    ]);
  });

  it('SYS-004: each upsert searches its unique key (EQ) before it creates', async () => {
    await sync(crm());

    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /crm/v3/objects/contacts/search',
      'POST /crm/v3/objects/contacts',
      'POST /crm/v3/objects/companies/search',
      'POST /crm/v3/objects/companies',
      'POST /crm/v3/objects/deals/search',
      'POST /crm/v3/objects/deals',
      'POST /crm/v3/objects/meetings/search',
      'POST /crm/v3/objects/meetings',
    ]);
    const eq = (propertyName: string, value: string) => [[{ filters: [{ propertyName, operator: 'EQ', value }] }]];
    expect(searchFilters('contacts')).toEqual(eq('email', 'sam.lee@acme.com.au'));
    expect(searchFilters('companies')).toEqual(eq('domain', 'acme.com.au'));
    expect(searchFilters('deals')).toEqual(eq('agency_os_deal_id', 'deal_01HX4Q'));
    expect(searchFilters('meetings')).toEqual(eq('agency_os_booking_uid', 'bk_9f2c71'));
  });

  it('SYS-004: every request carries the private app token as a Bearer token', async () => {
    await sync(crm());
    expect(fake.requests.length).toBeGreaterThan(0);
    for (const r of fake.requests) expect(r.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('SYS-004: the LinkedIn URL is written only to a configured contact property (HubSpot has no standard one)', async () => {
    await crm().upsertContact(CONTACT);
    expect(Object.values(fake.objects('contacts')[0]!.properties)).not.toContain(CONTACT.linkedinUrl);
  });
});

describe('SYS-004: a retry never creates a second contact, company, deal or meeting', () => {
  it('SYS-004: the same sync run again (a Temporal retry) creates nothing and updates each record in place', async () => {
    const first = await sync(crm());
    const before = fake.requests.length;

    const second = await sync(crm());

    expect(second).toEqual(first);
    expect(counts()).toEqual({ contacts: 1, companies: 1, deals: 1, meetings: 1 });
    expect(creates(before)).toEqual([]);
    const patched = fake.requests.slice(before).filter((r) => r.method === 'PATCH');
    expect(patched.map((r) => r.path)).toEqual([
      `/crm/v3/objects/contacts/${first.contactId}`,
      `/crm/v3/objects/companies/${first.companyId}`,
      `/crm/v3/objects/deals/${first.dealId}`,
      `/crm/v3/objects/meetings/${first.meetingId}`,
    ]);
    // Re-associating is harmless: still linked to the same records only.
    expect(new Set(fake.associationsOf('deals', first.dealId).map((a) => a.toId))).toEqual(new Set([first.contactId, first.companyId]));
    expect(new Set(fake.associationsOf('meetings', first.meetingId!).map((a) => a.toId))).toEqual(new Set([first.contactId, first.dealId]));
  });

  it('SYS-004: a deal whose create answer was lost (timeout) is found by the retry and updated, not created again', async () => {
    const client = crm();
    const contactId = await client.upsertContact(CONTACT);
    fake.failNext({ method: 'POST', path: '/crm/v3/objects/deals', afterEffect: true });

    const err = await transient(client.upsertDeal(DEAL, { contactId }));
    expect(err.message).toContain('upsert deal');
    expect(fake.objects('deals')).toHaveLength(1); // the first attempt's create landed

    const dealId = await client.upsertDeal(DEAL, { contactId });
    expect(dealId).toBe(fake.objects('deals')[0]!.id);
    expect(fake.objects('deals')).toHaveLength(1);
    expect(fake.requestsTo('PATCH', `/crm/v3/objects/deals/${dealId}`)).toHaveLength(1);
  });

  it('SYS-004: a contact created by a racing attempt that search does not see yet: the 409 gives its id, still one contact', async () => {
    fake.lagSearch(5); // HubSpot's search index lags its writes
    fake.failNext({ method: 'POST', path: '/crm/v3/objects/contacts', afterEffect: true });
    await transient(crm().upsertContact(CONTACT));
    const [created] = fake.objects('contacts');

    const contactId = await crm().upsertContact({ ...CONTACT, title: 'VP Sales' });

    expect(contactId).toBe(created!.id);
    expect(fake.objects('contacts')).toHaveLength(1);
    expect(fake.objects('contacts')[0]!.properties.jobtitle).toBe('VP Sales');
    const searches = fake.requestsTo('POST', '/crm/v3/objects/contacts/search');
    expect(searches.map((r) => r.status)).toEqual([200, 200]);
    expect(fake.requestsTo('POST', '/crm/v3/objects/contacts').map((r) => r.status)).toEqual([0, 409]); // dropped, then the conflict
    expect(fake.requestsTo('PATCH', `/crm/v3/objects/contacts/${created!.id}`)).toHaveLength(1);
  });

  it('SYS-004: a deal and a meeting whose ids a previous sync kept are updated by id, with no search, even while search cannot see them yet', async () => {
    const contactId = await crm().upsertContact(CONTACT);
    const dealId = await crm().upsertDeal(DEAL, { contactId });
    const meetingId = await crm().upsertMeeting(MEETING, { contactId, dealId });
    fake.lagSearch(50); // a retry right after the create: the search index does not have them yet
    const from = fake.requests.length;
    expect(await crm().upsertDeal({ ...DEAL, stage: 'meeting_cancelled', knownId: dealId }, { contactId })).toBe(dealId);
    expect(await crm().upsertMeeting({ ...MEETING, status: 'cancelled', knownId: meetingId }, { contactId, dealId })).toBe(meetingId);
    expect(fake.objects('deals')).toHaveLength(1);
    expect(fake.objects('meetings')).toHaveLength(1);
    expect(fake.requests.slice(from).filter((r) => r.path.endsWith('/search'))).toEqual([]);
    expect(fake.object('deals', dealId)!.properties.dealstage).toBe('closedlost');
  });

  it('SYS-004: a kept id HubSpot no longer has (deleted there) is found or created again, not an error', async () => {
    const contactId = await crm().upsertContact(CONTACT);
    const dealId = await crm().upsertDeal({ ...DEAL, knownId: '999999999' }, { contactId });
    expect(fake.objects('deals').map((d) => d.id)).toEqual([dealId]);
    expect(dealId).not.toBe('999999999');
  });

  it('SYS-004: a contact already in HubSpot (email in another case) is updated, not duplicated', async () => {
    const existing = fake.seed('contacts', { email: 'sam.lee@acme.com.au', firstname: 'Samuel', phone: '+61 2 9999 0000' });

    const id = await crm().upsertContact({ email: 'SAM.LEE@acme.com.au', firstName: 'Sam', phone: null });

    expect(id).toBe(existing.id);
    expect(fake.objects('contacts')).toHaveLength(1);
    // Absent and null fields are not sent: HubSpot keeps the phone it has.
    expect(fake.requestsTo('PATCH', `/crm/v3/objects/contacts/${id}`)[0]!.body).toEqual({ properties: { firstname: 'Sam' } });
    expect(fake.objects('contacts')[0]!.properties).toMatchObject({ firstname: 'Sam', phone: '+61 2 9999 0000' });
  });

  it('SYS-004: a company is found by its domain however the domain is written, else by its name', async () => {
    const acme = fake.seed('companies', { name: 'Acme', domain: 'acme.com.au' });
    expect(await crm().upsertCompany({ name: 'Acme Pty Ltd', domain: 'HTTPS://WWW.ACME.COM.AU/about?x=1' })).toBe(acme.id);

    const globex = await crm().upsertCompany({ name: 'Globex Corporation' });
    expect(await crm().upsertCompany({ name: 'Globex Corporation', domain: null })).toBe(globex);

    expect(fake.objects('companies').map((c) => c.properties.name)).toEqual(['Acme Pty Ltd', 'Globex Corporation']);
    expect(searchFilters('companies').slice(1)).toEqual([
      [{ filters: [{ propertyName: 'name', operator: 'EQ', value: 'Globex Corporation' }] }],
      [{ filters: [{ propertyName: 'name', operator: 'EQ', value: 'Globex Corporation' }] }],
    ]);
  });
});

describe('SYS-004: later syncs of the same booking', () => {
  it('SYS-004: a cancelled meeting moves the deal to closedlost and the meeting outcome to CANCELED, on the same records', async () => {
    const first = await sync(crm());

    const again = await sync(crm(), { deal: { ...DEAL, stage: 'meeting_cancelled' }, meeting: { ...MEETING, status: 'cancelled' } });

    expect(again).toEqual(first);
    expect(counts()).toEqual({ contacts: 1, companies: 1, deals: 1, meetings: 1 });
    expect(fake.object('deals', first.dealId)!.properties).toMatchObject({ dealstage: 'closedlost', pipeline: 'default' });
    expect(fake.object('meetings', first.meetingId!)!.properties.hs_meeting_outcome).toBe('CANCELED');
  });

  it('SYS-004: a rescheduled meeting keeps its record and takes the new times (RESCHEDULED); a held one moves the deal to qualifiedtobuy', async () => {
    const first = await sync(crm());
    const moved = { ...MEETING, status: 'rescheduled' as const, startsAt: '2026-03-12T01:00:00.000Z', endsAt: '2026-03-12T01:30:00.000Z' };

    await sync(crm(), { meeting: moved });
    expect(fake.object('meetings', first.meetingId!)!.properties).toMatchObject({
      hs_timestamp: '2026-03-12T01:00:00.000Z',
      hs_meeting_start_time: '2026-03-12T01:00:00.000Z',
      hs_meeting_end_time: '2026-03-12T01:30:00.000Z',
      hs_meeting_outcome: 'RESCHEDULED',
    });

    await sync(crm(), { deal: { ...DEAL, stage: 'meeting_held' } });
    expect(fake.object('deals', first.dealId)!.properties.dealstage).toBe('qualifiedtobuy');
    expect(counts()).toEqual({ contacts: 1, companies: 1, deals: 1, meetings: 1 });
  });

  it('SYS-004: the pipeline, the stage ids, the key properties and the LinkedIn property are configuration', async () => {
    const portal = new HubSpotFake({
      accessToken: TOKEN,
      customProperties: { contacts: ['linkedin_profile'], deals: ['aos_deal_key'], meetings: ['aos_booking'] },
      pipelines: { default: HUBSPOT_DEFAULT_PIPELINE_STAGES, '8812345': ['101', '102', '103'] },
    });
    const { baseUrl } = await portal.start();
    try {
      const client = createHubSpotCrm({
        accessToken: TOKEN,
        basePath: baseUrl,
        pipeline: '8812345',
        stages: { meeting_booked: '101', meeting_cancelled: '103' },
        dealKeyProperty: 'aos_deal_key',
        meetingKeyProperty: 'aos_booking',
        linkedinUrlProperty: 'linkedin_profile',
      });
      const ids = await sync(client);
      expect(portal.object('contacts', ids.contactId)!.properties.linkedin_profile).toBe('https://www.linkedin.com/in/sam-lee');
      expect(portal.object('deals', ids.dealId)!.properties).toMatchObject({
        pipeline: '8812345',
        dealstage: '101',
        aos_deal_key: 'deal_01HX4Q',
      });
      expect(portal.object('meetings', ids.meetingId!)!.properties.aos_booking).toBe('bk_9f2c71');

      expect(await client.upsertDeal({ ...DEAL, stage: 'meeting_cancelled' }, { contactId: ids.contactId })).toBe(ids.dealId);
      expect(portal.object('deals', ids.dealId)!.properties.dealstage).toBe('103');
      expect(portal.objects('deals')).toHaveLength(1);
    } finally {
      await portal.stop();
    }
  });
});

describe('SYS-004: failures: transient ones are retried by Temporal, permanent ones are not', () => {
  it('SYS-004: 429 (rate limit) is a plain Error naming the operation, and the SDK does not retry it', async () => {
    fake.failNext({ path: '/crm/v3/objects/contacts/search', status: 429 });
    const err = await transient(crm().upsertContact(CONTACT));
    expect(err.message).toContain('upsert contact');
    expect(err.message).toContain('429');
    expect(fake.requests).toHaveLength(1);
  });

  it('SYS-004: 500 and 503 are plain Errors, and nothing is created by the failed attempt', async () => {
    fake.failNext({ path: '/crm/v3/objects/deals/search', status: 500 });
    const contactId = await crm().upsertContact(CONTACT);
    expect((await transient(crm().upsertDeal(DEAL, { contactId }))).message).toContain('upsert deal');

    fake.failNext({ method: 'POST', path: '/crm/v3/objects/meetings', status: 503 });
    expect((await transient(crm().upsertMeeting(MEETING, { contactId, dealId: '999' }))).message).toContain('upsert meeting');
    expect(fake.requestsTo('POST', '/crm/v3/objects/deals/search')).toHaveLength(1);
    expect(counts()).toMatchObject({ deals: 0, meetings: 0 });
  });

  it('SYS-004: a dropped connection is a plain Error', async () => {
    fake.failNext({ path: '/crm/v3/objects/companies/search', drop: true });
    expect((await transient(crm().upsertCompany(COMPANY))).message).toContain('upsert company');
  });

  it('SYS-004: a call that never answers times out as a plain Error (the SDK has no timeout of its own)', async () => {
    const err = await transient(
      timed(5, () => new Promise<never>(() => {})).catch((e: unknown) => Promise.reject(hubspotError('upsert deal', e))),
    );
    expect(err.message).toBe('HubSpot upsert deal failed: timed out after 5 ms');
  });

  it('SYS-004: 401 (a wrong or revoked token) is a non-retryable ProviderError, and nothing is written', async () => {
    const err = await rejection(crm({ accessToken: 'pat-na1-revoked' }).upsertContact(CONTACT));
    expect(err).toMatchObject({ provider: 'hubspot', code: 'auth_failed', retryable: false, status: 401 });
    expect(err.message).toContain('INVALID_AUTHENTICATION');
    expect(fake.requests[0]!.headers.authorization).toBe('Bearer pat-na1-revoked');
    expect(counts()).toEqual({ contacts: 0, companies: 0, deals: 0, meetings: 0 });
  });

  it('SYS-004: 403 (missing scope) is a non-retryable ProviderError', async () => {
    fake.failNext({ method: 'POST', path: '/crm/v3/objects/deals', status: 403 });
    const err = await rejection(crm().upsertDeal(DEAL, { contactId: await crm().upsertContact(CONTACT) }));
    expect(err).toMatchObject({ code: 'auth_failed', retryable: false, status: 403 });
  });

  it('SYS-004: 400 (a portal without the key property) is a non-retryable ProviderError', async () => {
    const contactId = await crm().upsertContact(CONTACT);
    const err = await rejection(crm({ dealKeyProperty: 'no_such_property' }).upsertDeal(DEAL, { contactId }));
    expect(err).toMatchObject({ code: 'invalid_request', retryable: false, status: 400 });
    expect(err.message).toContain('upsert deal');
  });

  it('SYS-004: 404 (a linked record deleted in HubSpot) is a non-retryable ProviderError', async () => {
    const ids = await sync(crm());
    fake.failNext({ method: 'PATCH', path: `/crm/v3/objects/meetings/${ids.meetingId}`, status: 404 });
    const err = await rejection(crm().upsertMeeting(MEETING, { contactId: ids.contactId, dealId: ids.dealId }));
    expect(err).toMatchObject({ code: 'not_found', retryable: false, status: 404 });
  });
});
