/**
 * The recipient's region for regional public holidays (ED-002, ED-003, VO-005, SM-001 windows):
 * DOMAIN.md "national holidays of the recipient's country and regional ones of their state,
 * province or nation (AU states, US states, UK nations, NZ regions, Canadian provinces), with the
 * region taken from the HQ address or the phone number. A part-day holiday closes the whole day."
 *
 * Expected regions are geography (which state a city or an area code lies in), expected holidays
 * the official calendars of 2025; the property oracle reads date-holidays directly.
 */
import cityTimezones from 'city-timezones';
import Holidays from 'date-holidays';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  defaultDomainConfig,
  holidayCalendar,
  isInsideWindow,
  nextSendTime,
  resolveRecipientZone,
  statesOf,
  type RecipientPlace,
  type WindowName,
} from '../../domain/index.js';
import { cityRegionTable } from '../../domain/regions.js';
import { phoneRegion } from '../../domain/phone-regions.js';

type Expect = [country: string, state: string | null];

const region = (place: RecipientPlace) => {
  const r = resolveRecipientZone(place);
  return [r.location.country, r.location.state];
};

describe('regions: from the HQ city, state, country and phone (ED-002, ED-003)', () => {
  const AU: [RecipientPlace, Expect][] = [
    [{ city: 'Sydney', country: 'AU' }, ['AU', 'NSW']],
    [{ city: 'Melbourne' }, ['AU', 'VIC']],
    [{ city: 'Brisbane', country: 'Australia' }, ['AU', 'QLD']],
    [{ city: 'Adelaide' }, ['AU', 'SA']],
    [{ city: 'Perth', country: 'AUS' }, ['AU', 'WA']],
    [{ city: 'Hobart' }, ['AU', 'TAS']],
    [{ city: 'Darwin' }, ['AU', 'NT']],
    [{ city: 'Canberra', country: 'AU' }, ['AU', 'ACT']],
    [{ state: 'New South Wales', country: 'AU' }, ['AU', 'NSW']],
    [{ state: 'nsw', country: 'australia' }, ['AU', 'NSW']],
    [{ state: 'N.S.W.', country: 'AU' }, ['AU', 'NSW']],
    [{ state: 'AU-VIC', country: 'AU' }, ['AU', 'VIC']],
    [{ state: 'QUEENSLAND', country: 'AU' }, ['AU', 'QLD']],
    [{ state: 'Tas', country: 'AU' }, ['AU', 'TAS']],
    [{ state: 'Australian Capital Territory', country: 'AU' }, ['AU', 'ACT']],
    [{ phoneE164: '+61292123456' }, ['AU', 'NSW']], // 02 9xxx Sydney
    [{ phoneE164: '+61249123456' }, ['AU', 'NSW']], // 02 49xx Newcastle
    [{ phoneE164: '+61392123456' }, ['AU', 'VIC']], // 03 9xxx Melbourne
    [{ phoneE164: '+61362123456' }, ['AU', 'TAS']], // 03 62xx Hobart
    [{ phoneE164: '+61732123456' }, ['AU', 'QLD']], // 07 3xxx Brisbane
    [{ phoneE164: '+61892123456' }, ['AU', 'WA']], // 08 92xx Perth
    [{ phoneE164: '+61882123456' }, ['AU', null]], // 08 8xxx: SA, NT and Broken Hill (NSW)
    [{ phoneE164: '+61262123456' }, ['AU', null]], // 02 62xx: Canberra and Queanbeyan (NSW)
    [{ phoneE164: '+61755123456' }, ['AU', null]], // 07 55xx: Gold Coast and Tweed Heads (NSW)
    [{ phoneE164: '+61412345678' }, ['AU', null]], // mobile
    [{ country: 'AU', phoneE164: '+61362123456' }, ['AU', 'TAS']],
    [{ city: 'Adelaide', country: 'AU', phoneE164: '+61292123456' }, ['AU', 'SA']], // the HQ beats the phone
    [{ city: 'Richmond', state: 'VIC', country: 'AU' }, ['AU', 'VIC']],
  ];
  const US: [RecipientPlace, Expect][] = [
    [{ city: 'Boston', country: 'US' }, ['US', 'MA']],
    [{ city: 'Austin', country: 'USA' }, ['US', 'TX']],
    [{ city: 'Chicago' }, ['US', 'IL']],
    [{ city: 'Honolulu', country: 'United States' }, ['US', 'HI']],
    [{ state: 'Texas', country: 'US' }, ['US', 'TX']],
    [{ state: 'tx', country: 'us' }, ['US', 'TX']],
    [{ state: 'Washington State', country: 'US' }, ['US', 'WA']],
    [{ state: 'Washington, D.C.', country: 'US' }, ['US', 'DC']],
    [{ state: 'massachusetts', country: 'United States of America' }, ['US', 'MA']],
    [{ phoneE164: '+16175550100' }, ['US', 'MA']], // 617 Boston
    [{ phoneE164: '+15125550100' }, ['US', 'TX']], // 512 Austin
    [{ phoneE164: '+12125550100' }, ['US', 'NY']], // 212 Manhattan
    [{ phoneE164: '+13055550100' }, ['US', 'FL']], // 305 Miami
    [{ phoneE164: '+18085550100' }, ['US', 'HI']], // 808 Hawaii
    [{ phoneE164: '+12015550100' }, ['US', null]], // 201: exchanges in NJ and NY
    [{ country: 'US', phoneE164: '+13125550100' }, ['US', 'IL']], // 312 Chicago
    [{ country: 'GB', phoneE164: '+13125550100' }, ['GB', null]], // a phone of another country says nothing of a UK region
  ];
  const GB: [RecipientPlace, Expect][] = [
    [{ city: 'Edinburgh' }, ['GB', 'SCT']],
    [{ city: 'Edinburgh', country: 'UK' }, ['GB', 'SCT']],
    [{ city: 'glasgow', country: 'United Kingdom' }, ['GB', 'SCT']],
    [{ city: 'Aberdeen', country: 'GB' }, ['GB', 'SCT']],
    [{ city: 'Stirling', country: 'UK' }, ['GB', 'SCT']],
    [{ city: 'Cardiff', country: 'GB' }, ['GB', 'WLS']],
    [{ city: 'Swansea', country: 'UK' }, ['GB', 'WLS']],
    [{ city: 'Belfast' }, ['GB', 'NIR']],
    [{ city: 'Derry', country: 'UK' }, ['GB', 'NIR']],
    [{ city: 'London', country: 'UK' }, ['GB', 'ENG']],
    [{ city: 'Manchester', country: 'GB' }, ['GB', 'ENG']],
    [{ city: 'Perth', country: 'GB' }, ['GB', 'SCT']],
    [{ state: 'Scotland', country: 'UK' }, ['GB', 'SCT']],
    [{ state: 'wales', country: 'GB' }, ['GB', 'WLS']],
    [{ state: 'GB-NIR', country: 'GB' }, ['GB', 'NIR']],
    [{ state: 'England', country: 'United Kingdom' }, ['GB', 'ENG']],
    [{ country: 'Scotland' }, ['GB', 'SCT']],
    [{ country: 'Northern Ireland' }, ['GB', 'NIR']],
    [{ city: 'Glasgow', country: 'Scotland' }, ['GB', 'SCT']],
    [{ phoneE164: '+441312345678' }, ['GB', 'SCT']], // 0131 Edinburgh
    [{ phoneE164: '+441412345678' }, ['GB', 'SCT']], // 0141 Glasgow
    [{ phoneE164: '+442920123456' }, ['GB', 'WLS']], // 029 Cardiff
    [{ phoneE164: '+442890123456' }, ['GB', 'NIR']], // 028 Northern Ireland
    [{ phoneE164: '+442079460000' }, ['GB', 'ENG']], // 020 London
    [{ phoneE164: '+441244123456' }, ['GB', null]], // 01244 Chester: exchanges on both sides of the Welsh border
    [{ phoneE164: '+447400123456' }, ['GB', null]], // mobile
    [{ country: 'UK' }, ['GB', null]],
    [{ city: 'Bangor', country: 'UK' }, ['GB', null]], // a Bangor in Wales and one in Northern Ireland
  ];
  const NZ: [RecipientPlace, Expect][] = [
    [{ city: 'Auckland' }, ['NZ', 'AUK']],
    [{ city: 'Wellington', country: 'New Zealand' }, ['NZ', 'WGN']],
    [{ city: 'Lower Hutt' }, ['NZ', 'WGN']],
    [{ city: 'Christchurch', country: 'NZ' }, ['NZ', 'CAN']],
    [{ city: 'Dunedin', country: 'NZ' }, ['NZ', 'OTA']],
    [{ city: 'Napier', country: 'NZ' }, ['NZ', 'HKB']],
    [{ city: 'Rotorua', country: 'NZ' }, ['NZ', 'BOP']],
    [{ city: 'Nelson', country: 'NZ' }, ['NZ', 'NSN']],
    [{ city: 'Hamilton', country: 'NZ' }, ['NZ', 'WKO']],
    [{ state: 'Auckland', country: 'NZ' }, ['NZ', 'AUK']],
    [{ state: "Hawke's Bay", country: 'NZ' }, ['NZ', 'HKB']],
    [{ state: 'Hawkes Bay', country: 'New Zealand' }, ['NZ', 'HKB']],
    [{ state: 'canterbury', country: 'NZ' }, ['NZ', 'CAN']],
    [{ state: 'Otago', country: 'NZ' }, ['NZ', 'OTA']],
    [{ state: 'NZ-WGN', country: 'NZ' }, ['NZ', 'WGN']],
    [{ state: 'West Coast', country: 'NZ' }, ['NZ', 'WTC']],
    [{ phoneE164: '+6444721234' }, ['NZ', 'WGN']], // 04 Wellington region
    [{ phoneE164: '+6495551234' }, ['NZ', null]], // 09 Auckland and Northland
    [{ phoneE164: '+6433595000' }, ['NZ', null]], // 03 the South Island
    [{ phoneE164: '+64211234567' }, ['NZ', null]], // mobile
  ];
  const CA: [RecipientPlace, Expect][] = [
    [{ city: 'Montréal', country: 'Canada' }, ['CA', 'QC']],
    [{ city: 'Montreal', country: 'CA' }, ['CA', 'QC']],
    [{ city: 'Toronto' }, ['CA', 'ON']],
    [{ city: 'Vancouver', country: 'Canada' }, ['CA', 'BC']],
    [{ city: 'Calgary', country: 'Canada' }, ['CA', 'AB']],
    [{ city: 'Halifax', country: 'Canada' }, ['CA', 'NS']],
    [{ state: 'Québec', country: 'Canada' }, ['CA', 'QC']],
    [{ state: 'QUEBEC', country: 'CA' }, ['CA', 'QC']],
    [{ state: 'qc', country: 'canada' }, ['CA', 'QC']],
    [{ state: 'Ontario', country: 'CA' }, ['CA', 'ON']],
    [{ state: 'british columbia', country: 'CA' }, ['CA', 'BC']],
    [{ phoneE164: '+15145550100' }, ['CA', 'QC']], // 514 Montreal
    [{ phoneE164: '+14165550100' }, ['CA', 'ON']], // 416 Toronto
    [{ phoneE164: '+16045550100' }, ['CA', 'BC']], // 604 Vancouver
    [{ phoneE164: '+14035550100' }, ['CA', 'AB']], // 403 Calgary
    [{ phoneE164: '+19025550100' }, ['CA', null]], // 902 Nova Scotia and Prince Edward Island
    [{ phoneE164: '+18675550100' }, ['CA', null]], // 867 Yukon, Northwest Territories, Nunavut
  ];

  it.each([...AU, ...US, ...GB, ...NZ, ...CA])('ED-003: %j -> %j', (place, expected) => {
    expect(region(place)).toEqual(expected);
  });

  it('ED-003: the region of a phone is its area code, only where the code lies in one subdivision', () => {
    expect(phoneRegion('+61362123456')).toEqual({ country: 'AU', state: 'TAS' });
    expect(phoneRegion('+12425550100')).toBeNull(); // 242 Bahamas: NANP, not a US state
    expect(phoneRegion('+61 not a number')).toBeNull();
    expect(phoneRegion(null)).toBeNull();
  });

  it('ED-003: the Québec zone is Montreal (not the Blanc-Sablon strip), the Texas phone zone Chicago', () => {
    expect(resolveRecipientZone({ state: 'Québec', country: 'Canada' }).zone).toBe('America/Montreal');
    expect(resolveRecipientZone({ phoneE164: '+15125550100' }).zone).toBe('America/Chicago');
    expect(resolveRecipientZone({ phoneE164: '+61892123456', clientDefaultZone: 'Australia/Sydney' }).zone).toBe('Australia/Perth');
  });

  it('ED-003: the GB and NZ city tables place every GB and NZ city of city-timezones, in a subdivision date-holidays knows', () => {
    const table = cityRegionTable();
    for (const [country, state] of table) expect(statesOf(country)).toHaveProperty(state);
    for (const c of cityTimezones.cityMapping.filter((x) => x.iso2 === 'GB' || x.iso2 === 'NZ')) {
      expect(resolveRecipientZone({ city: c.city, country: c.iso2 }).location.state, `${c.city} (${c.iso2})`).not.toBeNull();
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Regional holidays close every channel in that region only
// ---------------------------------------------------------------------------------------------

/** [holiday, the region's place, a place of another region of the country where that day is a working day, local date]. */
const REGIONAL_HOLIDAYS: [string, RecipientPlace, RecipientPlace, string][] = [
  ['Adelaide Cup Day (SA)', { city: 'Adelaide', country: 'AU' }, { city: 'Sydney', country: 'AU' }, '2025-03-10'],
  ['Labour Day (WA), by phone', { phoneE164: '+61892123456' }, { phoneE164: '+61292123456' }, '2025-03-03'],
  ['Western Australia Day (WA)', { state: 'Western Australia', country: 'AU' }, { state: 'VIC', country: 'AU' }, '2025-06-02'],
  ['Eight Hours Day (TAS), by phone', { phoneE164: '+61362123456' }, { phoneE164: '+61732123456' }, '2025-03-10'],
  ['Melbourne Cup (VIC)', { city: 'Melbourne' }, { city: 'Brisbane' }, '2025-11-04'],
  ['Picnic Day (NT)', { city: 'Darwin' }, { city: 'Perth', country: 'AU' }, '2025-08-04'],
  ['Canberra Day (ACT)', { city: 'Canberra', country: 'AU' }, { state: 'NSW', country: 'AU' }, '2025-03-10'],
  ["Patriots' Day (MA)", { city: 'Boston', country: 'US' }, { city: 'Austin', country: 'US' }, '2025-04-21'],
  ["Patriots' Day (MA), by phone", { phoneE164: '+16175550100' }, { phoneE164: '+12125550100' }, '2025-04-21'],
  ['Day after Thanksgiving (TX)', { state: 'Texas', country: 'US' }, { state: 'NY', country: 'US' }, '2025-11-28'],
  ['Town Meeting Day (VT)', { state: 'Vermont', country: 'USA' }, { state: 'NH', country: 'USA' }, '2025-03-04'],
  ['Summer bank holiday (SCT)', { city: 'Edinburgh' }, { city: 'London', country: 'UK' }, '2025-08-04'],
  ["St Andrew's Day substitute (SCT), by phone", { phoneE164: '+441412345678' }, { phoneE164: '+442079460000' }, '2025-12-01'],
  ['Summer bank holiday (ENG)', { city: 'Manchester', country: 'GB' }, { city: 'Glasgow', country: 'GB' }, '2025-08-25'],
  ['Summer bank holiday (WLS)', { city: 'Cardiff', country: 'GB' }, { country: 'Scotland' }, '2025-08-25'],
  ["St Patrick's Day (NIR)", { city: 'Belfast' }, { city: 'Cardiff', country: 'GB' }, '2025-03-17'],
  ['Battle of the Boyne (NIR), by phone', { phoneE164: '+442890123456' }, { phoneE164: '+441312345678' }, '2025-07-14'],
  ['Wellington Anniversary (WGN)', { city: 'Wellington', country: 'NZ' }, { city: 'Auckland', country: 'NZ' }, '2025-01-20'],
  ['Wellington Anniversary (WGN), by phone', { phoneE164: '+6444721234' }, { city: 'Christchurch', country: 'NZ' }, '2025-01-20'],
  ['Auckland Anniversary (AUK)', { state: 'Auckland', country: 'NZ' }, { state: 'Wellington', country: 'NZ' }, '2025-01-27'],
  ["Hawke's Bay Anniversary (HKB)", { city: 'Napier', country: 'NZ' }, { city: 'Christchurch', country: 'NZ' }, '2025-10-24'],
  ['Otago Anniversary (OTA)', { city: 'Dunedin', country: 'NZ' }, { city: 'Auckland', country: 'NZ' }, '2025-03-24'],
  ['Christchurch Show Day (CAN)', { city: 'Christchurch', country: 'NZ' }, { city: 'Dunedin', country: 'NZ' }, '2025-11-14'],
  ['Fête nationale (QC)', { city: 'Montréal', country: 'Canada' }, { city: 'Toronto', country: 'Canada' }, '2025-06-24'],
  ['Fête nationale (QC), by phone', { phoneE164: '+15145550100' }, { phoneE164: '+14165550100' }, '2025-06-24'],
  ['Family Day (ON)', { state: 'Ontario', country: 'CA' }, { state: 'Québec', country: 'CA' }, '2025-02-17'],
  ['British Columbia Day (BC)', { city: 'Vancouver', country: 'Canada' }, { city: 'Montreal', country: 'Canada' }, '2025-08-04'],
];

const at = (zone: string, date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone }).toMillis();
const CHANNELS: WindowName[] = ['voice', 'sms', 'email'];

describe('regions: a regional holiday closes every channel in its region and no other (ED-003, VO-005, SM-001)', () => {
  it.each(REGIONAL_HOLIDAYS)('ED-003/VO-005: %s', (_name, inRegion, elsewhere, date) => {
    const a = resolveRecipientZone(inRegion);
    const b = resolveRecipientZone(elsewhere);
    expect(a.location.state).not.toBeNull();
    expect(a.location.country).toBe(b.location.country);
    expect(a.location.state).not.toBe(b.location.state);
    for (const channel of CHANNELS) {
      // 10:00 local is inside the email, voice and SMS windows of a working day.
      expect(isInsideWindow({ channel, zone: a.zone, location: a.location, at: at(a.zone, date, '10:00') }), channel).toBe(false);
      expect(isInsideWindow({ channel, zone: b.zone, location: b.location, at: at(b.zone, date, '10:00') }), channel).toBe(true);
      // The next send time from 08:00 that day is on a later date in the region, that day elsewhere.
      const tA = nextSendTime({ channel, zone: a.zone, location: a.location, now: at(a.zone, date, '08:00') });
      const tB = nextSendTime({ channel, zone: b.zone, location: b.location, now: at(b.zone, date, '08:00') });
      expect(DateTime.fromJSDate(tA, { zone: a.zone }).toISODate()! > date, channel).toBe(true);
      expect(DateTime.fromJSDate(tB, { zone: b.zone }).toISODate(), channel).toBe(date);
    }
  });

  it.each([
    // Part-day holidays from the evening close the whole day (DOMAIN.md).
    ['Christmas Eve from 19:00 (SA)', { city: 'Adelaide' }, { city: 'Melbourne' }, '2025-12-24'],
    ["New Year's Eve from 19:00 (NT)", { city: 'Darwin' }, { city: 'Brisbane' }, '2025-12-31'],
    ['Christmas Eve from 18:00 (QLD), by phone', { phoneE164: '+61732123456' }, { phoneE164: '+61392123456' }, '2025-12-24'],
  ] as [string, RecipientPlace, RecipientPlace, string][])(
    'ED-003: a part-day holiday closes the whole day: %s',
    (_n, inRegion, elsewhere, date) => {
      const a = resolveRecipientZone(inRegion);
      const b = resolveRecipientZone(elsewhere);
      for (const channel of CHANNELS) {
        expect(isInsideWindow({ channel, zone: a.zone, location: a.location, at: at(a.zone, date, '10:00') }), channel).toBe(false);
        expect(isInsideWindow({ channel, zone: b.zone, location: b.location, at: at(b.zone, date, '10:00') }), channel).toBe(true);
      }
    },
  );

  it('ED-003: a regional holiday on the Monday after a DST change: SA Labour Day 6 Oct 2025 (ACDT from 5 Oct) by city, phone-less', () => {
    const a = resolveRecipientZone({ city: 'Adelaide' });
    const t = nextSendTime({ channel: 'sms', zone: a.zone, location: a.location, now: '2025-10-04T03:00:00Z' });
    expect(t.toISOString()).toBe('2025-10-06T22:30:00.000Z'); // Tue 7 Oct 09:00 ACDT
    const w = resolveRecipientZone({ phoneE164: '+61892123456' }); // Perth: no DST; 6 Oct is a working day in WA
    expect(nextSendTime({ channel: 'sms', zone: w.zone, location: w.location, now: '2025-10-04T03:00:00Z' }).toISOString()).toBe(
      '2025-10-06T01:00:00.000Z',
    );
  });

  it('ED-003: the holiday lookup reads the region however it is written', () => {
    for (const [country, state] of [
      ['GB', 'Scotland'],
      ['UK', 'scotland'],
      ['Scotland', null],
      ['United Kingdom', 'GB-SCT'],
      ['GB', 'Edinburgh'],
    ] as const) {
      expect(holidayCalendar({ country, state }).state, `${country}/${state}`).toBe('SCT');
    }
    expect(holidayCalendar({ country: 'NZ', state: 'Auckland' }).state).toBe('AUK');
    expect(holidayCalendar({ country: 'Canada', state: 'Québec' }).state).toBe('QC');
    expect(holidayCalendar({ country: 'AU', state: 'N.S.W.' }).state).toBe('NSW');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

const COUNTRIES = ['AU', 'US', 'GB', 'NZ', 'CA'] as const;
const COUNTRY_SPELLINGS: Record<(typeof COUNTRIES)[number], string[]> = {
  AU: ['AU', 'AUS', 'Australia', 'australia'],
  US: ['US', 'USA', 'United States', 'United States of America', 'usa'],
  GB: ['GB', 'UK', 'United Kingdom', 'Great Britain', 'Scotland', 'Wales', 'England', 'Northern Ireland'],
  NZ: ['NZ', 'New Zealand', 'nzl'],
  CA: ['CA', 'Canada', 'CAN'],
};
const cityPool = cityTimezones.cityMapping
  .filter((c) => (COUNTRIES as readonly string[]).includes(c.iso2))
  .map((c) => c.city)
  .concat(cityRegionTable().map(([, , c]) => c));
/** Area codes and prefixes that place a number, and some that span regions (national number prefixes). */
const PHONE_PREFIXES: [string, string][] = [
  ['+61', '29'],
  ['+61', '24'],
  ['+61', '39'],
  ['+61', '362'],
  ['+61', '73'],
  ['+61', '89'],
  ['+61', '88'],
  ['+61', '262'],
  ['+61', '755'],
  ['+61', '4'],
  ['+1', '617'],
  ['+1', '512'],
  ['+1', '212'],
  ['+1', '514'],
  ['+1', '416'],
  ['+1', '604'],
  ['+1', '902'],
  ['+1', '201'],
  ['+1', '808'],
  ['+1', '307'],
  ['+44', '131'],
  ['+44', '141'],
  ['+44', '29'],
  ['+44', '28'],
  ['+44', '20'],
  ['+44', '1244'],
  ['+44', '7400'],
  ['+64', '4'],
  ['+64', '9'],
  ['+64', '3'],
  ['+64', '21'],
];
const NATIONAL_LENGTH: Record<string, number> = { '+61': 9, '+1': 10, '+44': 10, '+64': 8 };

/** Case, spacing and punctuation a person may write a name with. */
const written = (s: string) =>
  fc
    .tuple(fc.constantFrom('as', 'upper', 'lower'), fc.constantFrom('', ' ', '  '), fc.constantFrom('', '.', ','))
    .map(([c, pad, p]) => pad + (c === 'upper' ? s.toUpperCase() : c === 'lower' ? s.toLowerCase() : s) + p + pad);
const stateArb = fc
  .constantFrom(...COUNTRIES)
  .chain((c) => fc.constantFrom(...Object.entries(statesOf(c)).flat()))
  .chain(written);
const phoneArb = fc
  .tuple(fc.constantFrom(...PHONE_PREFIXES), fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 10, maxLength: 10 }))
  .map(([[cc, prefix], digits]) => cc + (prefix + digits).slice(0, NATIONAL_LENGTH[cc]));
const placeArb: fc.Arbitrary<RecipientPlace> = fc.record(
  {
    city: fc.oneof(fc.constantFrom(...cityPool).chain(written), fc.string({ maxLength: 12 })),
    state: fc.oneof(stateArb, fc.string({ maxLength: 8 })),
    country: fc.oneof(fc.constantFrom(...Object.values(COUNTRY_SPELLINGS).flat()).chain(written), fc.string({ maxLength: 6 })),
    phoneE164: fc.oneof(phoneArb, fc.string({ maxLength: 14 })),
  },
  { requiredKeys: [] },
);

const holidayTypes = defaultDomainConfig.windows.holidayTypes as readonly string[];
const closedCache = new Map<string, Set<string>>();
/** Local dates closed by a public holiday of the location, straight from date-holidays (a part-day holiday closes its date). */
function closedDates(country: string, state: string | null, year: number): Set<string> {
  const key = `${country}|${state ?? ''}|${year}`;
  let set = closedCache.get(key);
  if (set) return set;
  set = new Set();
  const hd = state ? new Holidays(country, state) : new Holidays(country);
  for (const y of [year - 1, year]) {
    for (const h of hd.getHolidays(y)) {
      if (!holidayTypes.includes(h.type)) continue;
      const first = DateTime.fromISO(h.date.slice(0, 10), { zone: 'UTC' });
      const days = Math.max(1, Math.round((h.end.getTime() - h.start.getTime()) / 86_400_000));
      for (let i = 0; i < days; i++) set.add(first.plus({ days: i }).toISODate()!);
    }
  }
  closedCache.set(key, set);
  return set;
}

/** DST change days 2025-2026 of the zones these regions use, and holidays' eves. */
const SPECIAL_DAYS = [
  '2025-04-06',
  '2025-10-05',
  '2026-04-05',
  '2025-03-09',
  '2025-11-02',
  '2025-03-30',
  '2025-10-26',
  '2025-09-28',
  '2025-12-24',
];
const nowArb = fc.oneof(
  fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2026, 11, 31) }),
  fc
    .tuple(fc.constantFrom(...SPECIAL_DAYS), fc.integer({ min: -36 * 3_600_000, max: 60 * 3_600_000 }))
    .map(([d, off]) => Date.parse(`${d}T00:00:00Z`) + off),
);

describe('regions: properties', () => {
  it('ED-003: for any input the region is a date-holidays subdivision of the resolved country, or null; it reads back as itself', () => {
    fc.assert(
      fc.property(placeArb, (place) => {
        const r = resolveRecipientZone(place);
        if (r.location.state !== null) {
          expect(r.location.country).not.toBeNull();
          expect(Object.keys(statesOf(r.location.country!))).toContain(r.location.state);
          expect(holidayCalendar(r.location).state).toBe(r.location.state);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('ED-003: a phone number whose prefix spans regions never gets one, whatever its remaining digits', () => {
    const spanning = PHONE_PREFIXES.filter(([cc, p]) =>
      ['+6188', '+61262', '+61755', '+614', '+1902', '+1201', '+441244', '+447400', '+649', '+643', '+6421'].includes(cc + p),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...spanning),
        fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 10, maxLength: 10 }),
        ([cc, p], digits) => {
          expect(resolveRecipientZone({ phoneE164: cc + (p + digits).slice(0, NATIONAL_LENGTH[cc]) }).location.state).toBeNull();
        },
      ),
      { numRuns: 500 },
    );
  });

  it("ED-003/VO-005/SM-001: a send time is never on a public holiday of the recipient's region, and always inside the window", () => {
    fc.assert(
      fc.property(placeArb, fc.constantFrom<WindowName>('email', 'voice', 'sms'), nowArb, (place, channel, now) => {
        const r = resolveRecipientZone(place);
        const t = nextSendTime({ channel, zone: r.zone, location: r.location, now, seed: 'p' });
        const local = DateTime.fromJSDate(t, { zone: r.zone });
        expect(t.getTime()).toBeGreaterThanOrEqual(now);
        if (r.location.country) expect(closedDates(r.location.country, r.location.state, local.year).has(local.toISODate()!)).toBe(false);
        expect(isInsideWindow({ channel, zone: r.zone, location: r.location, at: t })).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });
});
