import { describe, expect, it } from 'vitest';
import { normaliseCountry, normaliseState, resolveRecipientZone, resolveClientConfig, type RecipientPlace } from '../../domain/index.js';

describe('timezone: recipient zone (ED-002)', () => {
  it.each([
    // HQ city
    [{ city: 'Sydney', country: 'AU' }, 'Australia/Sydney', 'hq', 'city'],
    [{ city: 'Melbourne', state: 'VIC', country: 'Australia' }, 'Australia/Melbourne', 'hq', 'city'],
    [{ city: 'Perth' }, 'Australia/Perth', 'hq', 'city'],
    [{ city: 'Perth', country: 'GB' }, 'Europe/London', 'hq', 'city'],
    [{ city: 'Broken Hill', state: 'NSW', country: 'AU' }, 'Australia/Broken_Hill', 'hq', 'city'],
    [{ city: 'Springfield', state: 'IL', country: 'USA' }, 'America/Chicago', 'hq', 'city'],
    [{ city: 'Portland', state: 'Oregon', country: 'United States' }, 'America/Los_Angeles', 'hq', 'city'],
    [{ city: 'São Paulo', country: 'Brazil' }, 'America/Sao_Paulo', 'hq', 'city'],
    // Australian states resolve to their own zones (codes and names)
    [{ state: 'NSW', country: 'AU' }, 'Australia/Sydney', 'hq', 'state'],
    [{ state: 'ACT', country: 'AU' }, 'Australia/Sydney', 'hq', 'state'],
    [{ state: 'VIC', country: 'AU' }, 'Australia/Melbourne', 'hq', 'state'],
    [{ state: 'QLD', country: 'AU' }, 'Australia/Brisbane', 'hq', 'state'],
    [{ state: 'SA', country: 'AU' }, 'Australia/Adelaide', 'hq', 'state'],
    [{ state: 'WA', country: 'AU' }, 'Australia/Perth', 'hq', 'state'],
    [{ state: 'TAS', country: 'AU' }, 'Australia/Hobart', 'hq', 'state'],
    [{ state: 'NT', country: 'AU' }, 'Australia/Darwin', 'hq', 'state'],
    [{ state: 'Western Australia', country: 'Australia' }, 'Australia/Perth', 'hq', 'state'],
    [{ state: 'south australia', country: 'aus' }, 'Australia/Adelaide', 'hq', 'state'],
    [{ state: 'Queensland', country: 'AU' }, 'Australia/Brisbane', 'hq', 'state'],
    [{ city: 'Richmond', state: 'VIC', country: 'AU' }, 'Australia/Melbourne', 'hq', 'state'], // suburb not in the city data: the state decides
    [{ state: 'CA', country: 'US' }, 'America/Los_Angeles', 'hq', 'state'],
    // HQ country with one zone
    [{ country: 'United Kingdom' }, 'Europe/London', 'hq', 'country'],
    [{ country: 'Singapore' }, 'Asia/Singapore', 'hq', 'country'],
    // multi-zone country: the client default when it lies in the country, else the main city
    [{ country: 'AU', clientDefaultZone: 'Australia/Perth' }, 'Australia/Perth', 'client_default', 'client_default'],
    [{ country: 'US', clientDefaultZone: 'Australia/Sydney' }, 'America/New_York', 'hq', 'country_main_city'],
    // phone region
    [{ phoneE164: '+6495551234' }, 'Pacific/Auckland', 'phone', 'phone_main_city'],
    [{ phoneE164: '+6421123456' }, 'Pacific/Auckland', 'phone', 'phone_main_city'],
    [{ phoneE164: '+442079460000' }, 'Europe/London', 'phone', 'phone_country'],
    [{ phoneE164: '+6591234567' }, 'Asia/Singapore', 'phone', 'phone_country'],
    [{ phoneE164: '+12125550100', clientDefaultZone: 'Australia/Sydney' }, 'America/New_York', 'phone', 'phone_state'], // 212 = New York
    [{ phoneE164: '+15125550100' }, 'America/Chicago', 'phone', 'phone_state'], // 512 = Austin, Texas
    [{ phoneE164: '+12015550100', clientDefaultZone: 'Australia/Sydney' }, 'America/New_York', 'phone', 'phone_main_city'], // 201 spans NJ and NY
    [{ state: 'Québec', country: 'Canada' }, 'America/Montreal', 'hq', 'state'],
    [{ phoneE164: '+61412345678', clientDefaultZone: 'Australia/Adelaide' }, 'Australia/Adelaide', 'client_default', 'client_default'],
    // client default
    [{ clientDefaultZone: 'Australia/Brisbane' }, 'Australia/Brisbane', 'client_default', 'client_default'],
    [{}, 'Australia/Sydney', 'client_default', 'client_default'],
    [{ city: 'Atlantis', country: 'ZZ', clientDefaultZone: 'Not/AZone' }, 'Australia/Sydney', 'client_default', 'client_default'],
  ] as [RecipientPlace, string, string, string][])('ED-002: %j -> %s (%s, %s)', (place, zone, source, basis) => {
    const r = resolveRecipientZone(place);
    expect(r.zone).toBe(zone);
    expect(r.source).toBe(source);
    expect(r.basis).toBe(basis);
  });

  it('ED-002: the phone country does not override a contradicting HQ country', () => {
    const r = resolveRecipientZone({ country: 'GB', phoneE164: '+6591234567' });
    expect(r).toMatchObject({ zone: 'Europe/London', source: 'hq', basis: 'country' });
  });

  it('ED-002: HQ beats the phone', () => {
    expect(resolveRecipientZone({ city: 'Perth', country: 'AU', phoneE164: '+442079460000' })).toMatchObject({
      zone: 'Australia/Perth',
      source: 'hq',
    });
  });

  it('ED-002: the resolved location carries the country and state for holidays', () => {
    expect(resolveRecipientZone({ city: 'Adelaide', country: 'AU' }).location).toEqual({ country: 'AU', state: 'SA' });
    expect(resolveRecipientZone({ state: 'Tasmania', country: 'Australia' }).location).toEqual({ country: 'AU', state: 'TAS' });
  });

  it('ED-002: the client default comes from the client configuration', () => {
    const config = resolveClientConfig({ client: { defaultZone: 'Australia/Darwin' } });
    expect(resolveRecipientZone({}, config)).toMatchObject({ zone: 'Australia/Darwin', source: 'client_default' });
  });

  it.each([
    ['AU', 'AU'],
    ['aus', 'AU'],
    ['Australia', 'AU'],
    ['UK', 'GB'],
    ['United Kingdom', 'GB'],
    ['USA', 'US'],
    ['United States', 'US'],
    ['New Zealand', 'NZ'],
    ['Narnia', null],
    ['', null],
  ])('ED-002: country %s -> %s', (input, code) => {
    expect(normaliseCountry(input)).toBe(code);
  });

  it('ED-002: states by code or name', () => {
    expect(normaliseState('AU', 'nsw')).toEqual({ code: 'NSW', name: 'New South Wales' });
    expect(normaliseState('AU', 'Northern Territory')?.code).toBe('NT');
    expect(normaliseState('US', 'New York')?.code).toBe('NY');
    expect(normaliseState('AU', 'Ontario')).toBeNull();
  });
});
