/**
 * InfraForge domain calls of the registrar (RP-004, RP-009): find, check availability, buy (sent
 * once, never retried here) and turn auto-renewal off. Requests and assumptions: infraforge.ts.
 */
import { ProviderError, type DomainRegistrar, type RegistrarDomain } from '../ports.js';
import { firstStr, isObject, listItems, num, singleItem, type ForgeHttpClient } from './http.js';
import {
  DOMAIN_RE,
  INFRAFORGE,
  INFRAFORGE_AVAILABILITY_BATCH,
  infraForgeDomainId,
  infraForgeUnexpected as unexpected,
  mapInfraForgeDomain,
  normaliseDomainName,
  uniqueNames,
} from './infraforge-wire.js';

/** The registrant contact sent with every purchase (`contactDetails`). */
export interface InfraForgeContact {
  firstName: string;
  lastName: string;
  email: string;
  phone: string;
  organization: string;
  address1: string;
  city: string;
  province: string;
  postalCode: string;
  /** ISO 3166 alpha-2, e.g. 'AU'. */
  country: string;
  /** Where DMARC reports go (optional). */
  dmarcEmail?: string;
  /** A domain the bought domains forward to (optional). */
  forwardToDomain?: string;
}

/** The domain half of the DomainRegistrar. */
export type InfraForgeDomainCalls = Pick<DomainRegistrar, 'findDomains' | 'checkAvailability' | 'buyDomains' | 'disableAutoRenew'>;

export function createInfraForgeDomainCalls(http: ForgeHttpClient, workspaceId: string, contact: InfraForgeContact): InfraForgeDomainCalls {
  async function findDomains(names: string[]): Promise<RegistrarDomain[]> {
    const out = new Map<string, RegistrarDomain>();
    for (const name of uniqueNames(names)) {
      const res = await http.request({ method: 'GET', path: '/domains', query: { search: name } });
      const items = listItems(res.body, ['domains']);
      if (!items) throw unexpected(`GET /domains answered ${res.status} without a list`, true, res.status);
      for (const item of items) {
        const d = mapInfraForgeDomain(item);
        if (d && d.name === name && !out.has(d.ref)) out.set(d.ref, d);
      }
    }
    return [...out.values()];
  }

  return {
    findDomains,

    async checkAvailability(names) {
      const wanted = uniqueNames(names);
      const found = new Map<string, { available: boolean; priceUsd?: number }>();
      for (let i = 0; i < wanted.length; i += INFRAFORGE_AVAILABILITY_BATCH) {
        const chunk = wanted.slice(i, i + INFRAFORGE_AVAILABILITY_BATCH);
        const res = await http.request({ method: 'POST', path: '/check-domain-availability-bulk', body: { domains: chunk } });
        const items = listItems(res.body, ['domains']);
        if (!items) throw unexpected(`availability check answered ${res.status} without a list`, true, res.status);
        for (const item of items) {
          if (!isObject(item)) continue;
          const name = firstStr(item, 'domain', 'name', 'domainName');
          if (!name) continue;
          const available = item.available === true || item.available === 'true' || item.isAvailable === true;
          const price = num(item.price) ?? num(item.priceUsd) ?? (isObject(item.price) ? num(item.price.amount) : undefined);
          found.set(normaliseDomainName(name), { available, ...(price !== undefined ? { priceUsd: price } : {}) });
        }
      }
      return wanted.map((domain) => ({ domain, ...(found.get(domain) ?? { available: false }) }));
    },

    async buyDomains(names) {
      const wanted = uniqueNames(names);
      const bad = wanted.filter((n) => !DOMAIN_RE.test(n));
      if (bad.length > 0) throw new ProviderError(INFRAFORGE, 'invalid_request', `Not domain names: ${bad.join(', ')}`, false);
      if (wanted.length === 0) return [];
      // Sent exactly once: a failure here (timeout included) is for the caller to reconcile.
      const res = await http.request({
        method: 'POST',
        path: '/domains',
        body: { workspaceId, domains: wanted, contactDetails: contact },
      });
      const byName = new Map<string, RegistrarDomain>();
      for (const item of listItems(res.body, ['domains']) ?? []) {
        const d = mapInfraForgeDomain(item);
        if (d && wanted.includes(d.name)) byName.set(d.name, d);
      }
      let missing = wanted.filter((n) => !byName.has(n));
      if (missing.length > 0) {
        for (const d of await findDomains(missing)) if (!byName.has(d.name)) byName.set(d.name, d);
        missing = wanted.filter((n) => !byName.has(n));
      }
      if (missing.length > 0) {
        const checkoutUrl = firstStr(singleItem(res.body) ?? {}, 'checkoutUrl', 'checkout_url');
        if (checkoutUrl) {
          throw new ProviderError(
            INFRAFORGE,
            'payment_required',
            `InfraForge purchase of ${missing.join(', ')} awaits payment: ${checkoutUrl}`,
            false,
            res.status,
          );
        }
        throw unexpected(
          `purchase answered ${res.status} but ${missing.join(', ')} cannot be found (not retried: it could buy twice)`,
          false,
          res.status,
        );
      }
      return wanted.map((n) => byName.get(n)!);
    },

    async disableAutoRenew(domainRefs) {
      const refs = [...new Set(domainRefs.map((r) => r.trim()).filter((r) => r !== ''))];
      if (refs.length === 0) return;
      const send = async (batch: string[]): Promise<boolean> => {
        try {
          await http.request({
            method: 'POST',
            path: '/domains/bulk-disable-autorenew',
            body: { domainIds: batch.map(infraForgeDomainId) },
          });
          return true;
        } catch (err) {
          if (err instanceof ProviderError && err.code === 'not_found') return false; // already gone
          throw err;
        }
      };
      if (await send(refs)) return;
      // The batch may have been refused for one unknown id: the others one by one.
      if (refs.length > 1) for (const ref of refs) await send([ref]);
    },
  };
}
