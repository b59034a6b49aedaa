/**
 * A fake HubSpot CRM API on test/fakes/http-fake.ts (127.0.0.1, free port) speaking HubSpot's JSON
 * wire format, for the real `@hubspot/api-client` (point `createHubSpotCrm({ basePath })` at it).
 *
 * Routes (Authorization: Bearer <accessToken>, else 401 INVALID_AUTHENTICATION):
 *   POST  /crm/v3/objects/{type}/search   { filterGroups:[{ filters:[{ propertyName, operator, value | values }] }],
 *                                          properties?, limit? (<= 200), after? } -> 200 { total, results, paging? };
 *                                          groups OR'ed, filters AND'ed; EQ, NEQ, IN, NOT_IN, HAS_PROPERTY,
 *                                          NOT_HAS_PROPERTY (string values compared without case); a filter on
 *                                          a property the portal lacks -> 400 VALIDATION_ERROR
 *   POST  /crm/v3/objects/{type}          { properties, associations? } -> 201 { id, properties, createdAt,
 *                                          updatedAt, archived:false }; contacts: an email that exists (any case)
 *                                          -> 409 CONFLICT "Contact already exists. Existing ID: <id>"
 *   PATCH /crm/v3/objects/{type}/{id}     { properties } -> 200 the object | 404 OBJECT_NOT_FOUND
 *   GET   /crm/v3/objects/{type}/{id}     ?properties=a,b -> 200 | 404
 *   PUT   /crm/v4/objects/{from}/{id}/associations/default/{to}/{toId}
 *                                       -> 200 { status:'COMPLETE', results:[{ from, to, associationSpec }],
 *                                          startedAt, completedAt } (the unlabeled default type) | 404
 * Types: contacts, companies, deals, meetings. Properties are validated like HubSpot does
 * (400 VALIDATION_ERROR "Property values were not valid: [...]"): a property the portal lacks
 * (PROPERTY_DOESNT_EXIST; the custom key properties exist unless `customProperties` says otherwise),
 * a read-only one, a stage outside the deal's pipeline, an unknown meeting outcome, a date or number
 * that does not parse, a meeting without hs_timestamp. Associations on create need a known type id
 * for the pair (deal->contact 3, deal->company 5 or 341, meeting->contact 200, meeting->deal 212, ...)
 * and an existing target, else 400. Error bodies: `{ status:'error', message, correlationId, category }`.
 *
 * Test controls:
 *   const fake = new HubSpotFake({ accessToken });   await fake.start();
 *   fake.objects('deals') / fake.object('deals', id)   what is stored (copies)
 *   fake.associationsOf('deals', id)                 [{ toType, toId, typeId }]
 *   fake.seed('contacts', { email })                 a record made outside the adapter
 *   fake.lagSearch(n)                                search misses objects created in the last n requests
 *                                                    (HubSpot's search index lags writes by seconds)
 *   fake.failNext({ path, method?, status?, body?, drop?, afterEffect? })   HubSpot-shaped body by default
 *   fake.requests / fake.requestsTo(method, path)    every request; fake.reset(): everything forgotten
 */
import { randomUUID } from 'node:crypto';
import { RoutedFake, type FakeAnswer, type FakeRequest, type ScriptedFailure } from './http-fake.js';

export type HubSpotObjectType = 'contacts' | 'companies' | 'deals' | 'meetings';
const TYPES: readonly HubSpotObjectType[] = ['contacts', 'companies', 'deals', 'meetings'];

export interface HubSpotFakeObject {
  id: string;
  properties: Record<string, string>;
  createdAt: string;
  updatedAt: string;
  archived: false;
}

export interface HubSpotFakeAssociation {
  toType: HubSpotObjectType;
  toId: string;
  typeId: number;
}

export interface HubSpotFakeOptions {
  accessToken?: string;
  /** Custom properties the portal has (default: deals agency_os_deal_id, meetings agency_os_booking_uid). */
  customProperties?: Partial<Record<HubSpotObjectType, string[]>>;
  /** Deal pipelines and their stage ids (default: HubSpot's 'default' sales pipeline). */
  pipelines?: Record<string, string[]>;
}

/** Writable standard properties per type (a subset of a portal's: what the adapter writes and a few more). */
const WRITABLE: Record<HubSpotObjectType, string[]> = {
  contacts: [
    'email',
    'firstname',
    'lastname',
    'phone',
    'mobilephone',
    'jobtitle',
    'company',
    'website',
    'lifecyclestage',
    'hubspot_owner_id',
  ],
  companies: ['name', 'domain', 'website', 'phone', 'city', 'country', 'industry', 'hubspot_owner_id'],
  deals: ['dealname', 'dealstage', 'pipeline', 'amount', 'closedate', 'hubspot_owner_id'],
  meetings: [
    'hs_timestamp',
    'hs_meeting_title',
    'hs_meeting_body',
    'hs_internal_meeting_notes',
    'hs_meeting_external_url',
    'hs_meeting_location',
    'hs_meeting_start_time',
    'hs_meeting_end_time',
    'hs_meeting_outcome',
    'hubspot_owner_id',
  ],
};
/** Set by HubSpot; also what search returns without being asked (with the defaults below). */
const SYSTEM: Record<HubSpotObjectType, { created: string; modified: string }> = {
  contacts: { created: 'createdate', modified: 'lastmodifieddate' },
  companies: { created: 'createdate', modified: 'hs_lastmodifieddate' },
  deals: { created: 'createdate', modified: 'hs_lastmodifieddate' },
  meetings: { created: 'hs_createdate', modified: 'hs_lastmodifieddate' },
};
const DEFAULT_RETURNED: Record<HubSpotObjectType, string[]> = {
  contacts: ['email', 'firstname', 'lastname'],
  companies: ['domain', 'name'],
  deals: ['amount', 'closedate', 'dealname', 'dealstage', 'pipeline'],
  meetings: [],
};
const DATES = new Set(['closedate', 'hs_timestamp', 'hs_meeting_start_time', 'hs_meeting_end_time']);
const NUMBERS = new Set(['amount']);
const MEETING_OUTCOMES = ['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED'];
export const HUBSPOT_DEFAULT_PIPELINE_STAGES = [
  'appointmentscheduled',
  'qualifiedtobuy',
  'presentationscheduled',
  'decisionmakerboughtin',
  'contractsent',
  'closedwon',
  'closedlost',
];

/** HUBSPOT_DEFINED association type ids by (from, to); the first is the unlabeled default (HubSpot's association type table). */
const ASSOCIATION_TYPES: Record<string, number[]> = {
  'deals/contacts': [3],
  'deals/companies': [341, 5],
  'deals/meetings': [211],
  'meetings/contacts': [200],
  'meetings/deals': [212],
  'meetings/companies': [188],
  'contacts/companies': [279, 1],
  'contacts/deals': [4],
  'contacts/meetings': [199],
  'companies/contacts': [280, 2],
  'companies/deals': [342, 6],
  'companies/meetings': [187],
};

export function hubspotErrorBody(category: string, message: string, extra: Record<string, unknown> = {}) {
  return { status: 'error', message, correlationId: randomUUID(), category, ...extra };
}

/** The bodies HubSpot sends with these statuses. */
function defaultErrorBody(status: number): Record<string, unknown> {
  if (status === 429) {
    return hubspotErrorBody('RATE_LIMITS', 'You have reached your ten_secondly_rolling limit.', {
      errorType: 'RATE_LIMIT',
      policyName: 'TEN_SECONDLY_ROLLING',
    });
  }
  if (status === 401) return hubspotErrorBody('INVALID_AUTHENTICATION', AUTH_MESSAGE);
  if (status === 403) return hubspotErrorBody('MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call.");
  if (status === 404) return hubspotErrorBody('OBJECT_NOT_FOUND', 'resource not found');
  if (status >= 500) return hubspotErrorBody('INTERNAL_ERROR', 'internal error');
  return hubspotErrorBody('VALIDATION_ERROR', 'Invalid input JSON on line 1');
}
const AUTH_MESSAGE =
  'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview';

interface Stored extends HubSpotFakeObject {
  type: HubSpotObjectType;
  /** The request count when it was created (search lag). */
  seq: number;
}

const json = (status: number, body: unknown): FakeAnswer => ({ status, body });
const fail = (status: number, category: string, message: string, extra?: Record<string, unknown>) =>
  json(status, hubspotErrorBody(category, message, extra));
const invalid = (errors: Array<{ error: string; name: string; message: string }>) =>
  fail(
    400,
    'VALIDATION_ERROR',
    `Property values were not valid: ${JSON.stringify(errors.map((e) => ({ isValid: false, message: e.message, error: e.error, name: e.name, localizedErrorMessage: e.message })))}`,
  );
const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

export class HubSpotFake extends RoutedFake {
  readonly accessToken: string;
  private readonly writable: Record<HubSpotObjectType, Set<string>>;
  private readonly pipelines: Record<string, string[]>;
  private store = new Map<string, Stored>();
  private links: Array<{ fromType: HubSpotObjectType; fromId: string } & HubSpotFakeAssociation> = [];
  private nextId = 1001;
  private seq = 0;
  private lag = 0;

  constructor(options: HubSpotFakeOptions = {}) {
    super({ before: (req) => this.authorise(req) });
    this.accessToken = options.accessToken ?? 'pat-na1-test-token';
    const custom = options.customProperties ?? { deals: ['agency_os_deal_id'], meetings: ['agency_os_booking_uid'] };
    this.writable = Object.fromEntries(TYPES.map((t) => [t, new Set([...WRITABLE[t], ...(custom[t] ?? [])])])) as Record<
      HubSpotObjectType,
      Set<string>
    >;
    this.pipelines = options.pipelines ?? { default: HUBSPOT_DEFAULT_PIPELINE_STAGES };
  }

  objects(type: HubSpotObjectType): HubSpotFakeObject[] {
    return [...this.store.values()].filter((o) => o.type === type).map((o) => this.view(o));
  }

  object(type: HubSpotObjectType, id: string): HubSpotFakeObject | undefined {
    const o = this.store.get(id);
    return o && o.type === type ? this.view(o) : undefined;
  }

  associationsOf(type: HubSpotObjectType, id: string): HubSpotFakeAssociation[] {
    return this.links.filter((l) => l.fromType === type && l.fromId === id).map(({ toType, toId, typeId }) => ({ toType, toId, typeId }));
  }

  /** A record made outside the adapter (by a person, an import, another integration). */
  seed(type: HubSpotObjectType, properties: Record<string, string>): HubSpotFakeObject {
    return this.view(this.insert(type, properties));
  }

  /** From now on search misses objects created in the last `requests` requests (0: no lag). */
  lagSearch(requests: number): void {
    this.lag = requests;
  }

  failNext(failure: ScriptedFailure): void {
    const drop = failure.drop ?? failure.afterEffect;
    this.http.failNext(drop || failure.body !== undefined ? failure : { ...failure, body: defaultErrorBody(failure.status ?? 500) });
  }

  reset(): void {
    this.http.reset();
    this.store.clear();
    this.links = [];
    this.nextId = 1001;
    this.seq = 0;
    this.lag = 0;
  }

  private authorise(req: FakeRequest): FakeAnswer | undefined {
    if (req.headers.authorization === `Bearer ${this.accessToken}`) return undefined;
    return fail(401, 'INVALID_AUTHENTICATION', AUTH_MESSAGE);
  }

  private view(o: Stored): HubSpotFakeObject {
    return { id: o.id, properties: { ...o.properties }, createdAt: o.createdAt, updatedAt: o.updatedAt, archived: false };
  }

  private insert(type: HubSpotObjectType, properties: Record<string, string>): Stored {
    const id = String(this.nextId++);
    const now = new Date().toISOString();
    const props = { ...properties, hs_object_id: id, [SYSTEM[type].created]: now, [SYSTEM[type].modified]: now };
    if (type === 'deals' && !props.pipeline) props.pipeline = 'default';
    const o: Stored = { type, id, properties: props, createdAt: now, updatedAt: now, archived: false, seq: this.seq };
    this.store.set(id, o);
    return o;
  }

  /** Only the asked properties (null when unset) and the type's defaults. */
  private withProperties(o: Stored, asked: string[]): HubSpotFakeObject {
    const names = new Set([...DEFAULT_RETURNED[o.type], ...asked, 'hs_object_id', SYSTEM[o.type].created, SYSTEM[o.type].modified]);
    const properties = Object.fromEntries([...names].map((n) => [n, o.properties[n] ?? null])) as Record<string, string>;
    return { ...this.view(o), properties };
  }

  protected route(req: FakeRequest): FakeAnswer {
    this.seq++;
    const body = (req.body ?? {}) as Record<string, unknown>;
    let m: RegExpExecArray | null;
    if ((m = /^\/crm\/v3\/objects\/([^/]+)\/search$/.exec(req.path)) && req.method === 'POST') return this.search(m[1]!, body);
    if ((m = /^\/crm\/v3\/objects\/([^/]+)$/.exec(req.path)) && req.method === 'POST') return this.create(m[1]!, body);
    if ((m = /^\/crm\/v3\/objects\/([^/]+)\/([^/]+)$/.exec(req.path)) && (req.method === 'PATCH' || req.method === 'GET')) {
      const o = this.store.get(m[2]!);
      if (!o || o.type !== m[1]) return fail(404, 'OBJECT_NOT_FOUND', 'resource not found');
      if (req.method === 'GET') return json(200, this.withProperties(o, (req.query.get('properties') ?? '').split(',').filter(Boolean)));
      return this.update(o, body);
    }
    m = /^\/crm\/v4\/objects\/([^/]+)\/([^/]+)\/associations\/default\/([^/]+)\/([^/]+)$/.exec(req.path);
    if (m && req.method === 'PUT') return this.associateDefault(m[1]!, m[2]!, m[3]!, m[4]!);
    return fail(404, 'OBJECT_NOT_FOUND', `Unable to route ${req.method} ${req.path}`);
  }

  private search(type: string, body: Record<string, unknown>): FakeAnswer {
    if (!isType(type)) return fail(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
    const groups = (Array.isArray(body.filterGroups) ? body.filterGroups : []) as Array<{ filters?: Filter[] }>;
    const limit = typeof body.limit === 'number' ? body.limit : 10;
    if (groups.length > 5 || groups.some((g) => (g.filters ?? []).length > 6) || limit > 200) {
      return fail(400, 'VALIDATION_ERROR', 'Search request exceeds the limits: 5 filterGroups, 6 filters each, limit 200');
    }
    for (const f of groups.flatMap((g) => g.filters ?? [])) {
      if (!this.readable(type).has(f.propertyName))
        return fail(400, 'VALIDATION_ERROR', `Property ${f.propertyName} does not exist on ${type}`);
      if (!['EQ', 'NEQ', 'IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'].includes(f.operator)) {
        return fail(400, 'VALIDATION_ERROR', `The fake does not implement operator ${f.operator}`);
      }
    }
    const visible = [...this.store.values()].filter((o) => o.type === type && this.seq - o.seq > this.lag);
    const hits = visible.filter((o) => groups.length === 0 || groups.some((g) => (g.filters ?? []).every((f) => matches(o, f))));
    const offset = Number(body.after ?? 0) || 0;
    const page = hits.slice(offset, offset + limit);
    const asked = Array.isArray(body.properties) ? (body.properties as string[]) : [];
    return json(200, {
      total: hits.length,
      results: page.map((o) => this.withProperties(o, asked)),
      ...(offset + limit < hits.length ? { paging: { next: { after: String(offset + limit) } } } : {}),
    });
  }

  private create(type: string, body: Record<string, unknown>): FakeAnswer {
    if (!isType(type)) return fail(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
    const properties = stringProperties(body.properties);
    const errors = this.validate(type, properties, properties.pipeline ?? 'default');
    if (type === 'meetings' && !properties.hs_timestamp)
      errors.push(propertyError('REQUIRED_PROPERTY', 'hs_timestamp', 'hs_timestamp is required'));
    if (errors.length > 0) return invalid(errors);
    if (type === 'contacts' && properties.email) {
      const existing = this.findContact(properties.email);
      if (existing) return fail(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    }
    const associations = (Array.isArray(body.associations) ? body.associations : []) as Array<{
      to?: { id?: string };
      types?: Array<{ associationCategory?: string; associationTypeId?: number }>;
    }>;
    const planned: HubSpotFakeAssociation[] = [];
    for (const a of associations) {
      for (const t of a.types ?? []) {
        const toType = TYPES.find((to) => ASSOCIATION_TYPES[`${type}/${to}`]?.includes(t.associationTypeId ?? -1));
        const target = this.store.get(String(a.to?.id));
        if (t.associationCategory !== 'HUBSPOT_DEFINED' || !toType || !target || target.type !== toType) {
          return fail(400, 'VALIDATION_ERROR', `One or more associations are invalid: ${JSON.stringify(a)}`);
        }
        planned.push({ toType, toId: target.id, typeId: t.associationTypeId! });
      }
    }
    const o = this.insert(type, properties);
    for (const p of planned) this.link(type, o.id, p);
    return json(201, this.view(o));
  }

  private update(o: Stored, body: Record<string, unknown>): FakeAnswer {
    const properties = stringProperties(body.properties);
    const errors = this.validate(o.type, properties, properties.pipeline ?? o.properties.pipeline ?? 'default');
    if (errors.length > 0) return invalid(errors);
    if (o.type === 'contacts' && properties.email) {
      const other = this.findContact(properties.email);
      if (other && other.id !== o.id) return fail(409, 'CONFLICT', `Contact already exists. Existing ID: ${other.id}`);
    }
    o.updatedAt = new Date().toISOString();
    Object.assign(o.properties, properties, { [SYSTEM[o.type].modified]: o.updatedAt });
    return json(200, this.view(o));
  }

  private associateDefault(fromType: string, fromId: string, toType: string, toId: string): FakeAnswer {
    const from = this.store.get(fromId);
    const to = this.store.get(toId);
    const typeId = ASSOCIATION_TYPES[`${fromType}/${toType}`]?.[0];
    if (!from || from.type !== fromType || !to || to.type !== toType || typeId === undefined) {
      return fail(404, 'OBJECT_NOT_FOUND', `No ${fromType} ${fromId} or ${toType} ${toId}`);
    }
    this.link(from.type, fromId, { toType: to.type, toId, typeId });
    const now = new Date().toISOString();
    return json(200, {
      status: 'COMPLETE',
      results: [
        { from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId } },
      ],
      startedAt: now,
      completedAt: now,
    });
  }

  /** An association is a set member: adding it again changes nothing (HubSpot's PUT is idempotent). */
  private link(fromType: HubSpotObjectType, fromId: string, a: HubSpotFakeAssociation): void {
    const known = this.links.some((l) => l.fromType === fromType && l.fromId === fromId && l.toId === a.toId && l.typeId === a.typeId);
    if (!known) this.links.push({ fromType, fromId, ...a });
  }

  private findContact(email: string): Stored | undefined {
    return [...this.store.values()].find((o) => o.type === 'contacts' && lower(o.properties.email) === email.toLowerCase());
  }

  private readable(type: HubSpotObjectType): Set<string> {
    return new Set([...this.writable[type], 'hs_object_id', SYSTEM[type].created, SYSTEM[type].modified]);
  }

  private validate(type: HubSpotObjectType, properties: Record<string, string>, pipeline: string) {
    const errors: Array<{ error: string; name: string; message: string }> = [];
    for (const [name, value] of Object.entries(properties)) {
      if (this.readable(type).has(name) && !this.writable[type].has(name)) {
        errors.push(propertyError('READ_ONLY_VALUE', name, `${name} is a read only property; its value cannot be set.`));
      } else if (!this.writable[type].has(name)) {
        errors.push(propertyError('PROPERTY_DOESNT_EXIST', name, `Property "${name}" does not exist`));
      } else if (DATES.has(name) && !/^\d+$/.test(value) && Number.isNaN(Date.parse(value))) {
        errors.push(propertyError('INVALID_DATE', name, `${value} is not a valid date`));
      } else if (NUMBERS.has(name) && (value.trim() === '' || Number.isNaN(Number(value)))) {
        errors.push(propertyError('INVALID_FLOAT', name, `${value} is not a valid number`));
      } else if (name === 'hs_meeting_outcome' && !MEETING_OUTCOMES.includes(value)) {
        errors.push(propertyError('INVALID_OPTION', name, `${value} was not one of the allowed options: ${MEETING_OUTCOMES.join(', ')}`));
      }
    }
    if (type === 'deals') {
      const stages = this.pipelines[pipeline];
      if (!stages) errors.push(propertyError('INVALID_OPTION', 'pipeline', `${pipeline} is not a valid pipeline`));
      else if (properties.dealstage !== undefined && !stages.includes(properties.dealstage)) {
        errors.push(propertyError('INVALID_OPTION', 'dealstage', `${properties.dealstage} is not a valid stage of pipeline ${pipeline}`));
      }
    }
    return errors;
  }
}

interface Filter {
  propertyName: string;
  operator: string;
  value?: unknown;
  values?: unknown[];
}

function isType(t: string): t is HubSpotObjectType {
  return (TYPES as readonly string[]).includes(t);
}

function propertyError(error: string, name: string, message: string) {
  return { error, name, message };
}

/** HubSpot takes property values as strings (numbers and booleans too). */
function stringProperties(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== 'object') return {};
  return Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function matches(o: Stored, f: Filter): boolean {
  const actual = o.properties[f.propertyName];
  const has = actual !== undefined && actual !== '';
  const eq = (v: unknown) => has && lower(actual) === lower(String(v));
  switch (f.operator) {
    case 'EQ':
      return eq(f.value);
    case 'NEQ':
      return !eq(f.value);
    case 'IN':
      return (f.values ?? []).some(eq);
    case 'NOT_IN':
      return !(f.values ?? []).some(eq);
    case 'HAS_PROPERTY':
      return has;
    default:
      return !has;
  }
}
