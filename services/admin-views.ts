/**
 * One client as the admin console shows it (SYS-006, RP-002, RP-010; system path, admin only):
 * the client row, its subscription, what it holds of the pool (domains with their health and the
 * client's mailboxes on each, numbers, LinkedIn seats), its churn hold, its API keys (never their
 * hashes) and its counts. Also the campaign and lead counts of every client for the client list.
 */
import type { Db } from '../db/client.js';
import type { Client } from '../generated/prisma/client.js';
import { clientEntitlement, subscriptionView, type SubscriptionMergeState } from '../domain/billing.js';
import { churnHoldState } from '../domain/churn.js';
import type { DomainConfig } from '../domain/config.js';

export interface ClientDetail {
  client: Client;
  subscription: {
    id: string;
    stripeSubscriptionId: string;
    stripeCustomerId: string | null;
    status: string;
    tier: string | null;
    currentPeriodEnd: Date | null;
    cancelAtPeriodEnd: boolean;
    paidAt: Date | null;
    cancelledAt: Date | null;
    createdAt: Date;
  } | null;
  churnHold: { cancelledAt: Date; releaseAt: Date; state: 'holding' | 'released' } | null;
  resources: {
    counts: { domains: number; mailboxes: number; phoneNumbers: number; linkedinSeats: number };
    domains: {
      id: string;
      name: string;
      status: string;
      healthClass: string;
      heatScore: number | null;
      mailboxes: number;
      allocatedAt: Date;
      holdUntil: Date | null;
    }[];
    mailboxes: {
      id: string;
      email: string;
      domainId: string;
      status: string;
      dailyLimit: number;
      allocatedAt: Date;
      holdUntil: Date | null;
    }[];
    phoneNumbers: { id: string; e164: string; country: string; status: string; allocatedAt: Date; holdUntil: Date | null }[];
    linkedinSeats: {
      id: string;
      accountRef: string;
      displayName: string | null;
      status: string;
      health: string;
      acceptRate: number | null;
      allocatedAt: Date;
      holdUntil: Date | null;
    }[];
  };
  apiKeys: ApiKeyView[];
  counts: { campaigns: number; leads: number; openAlerts: number };
}

/** An API key as an admin sees it: never its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const KEY_FIELDS = { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } as const;

export function createAdminClientViews(db: Db, config: DomainConfig) {
  const s = db.system;

  /** The client's subscription that gives its tier (the highest entitled), else its latest one. */
  async function subscriptionOf(clientId: string) {
    const rows = await s.subscription.findMany({ where: { clientId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
    const views = rows.map((r) => ({ row: r, view: subscriptionView(r.billingState as SubscriptionMergeState) }));
    const entitlement = clientEntitlement(views.map((v) => v.view));
    const current = views.find((v) => v.view.entitled && v.view.tier === entitlement.tier) ?? views[0];
    return { current, entitlement };
  }

  /** What the client holds now, per type, with each resource's own state. */
  async function resourcesOf(clientId: string): Promise<ClientDetail['resources']> {
    const open = await s.resourceAllocation.findMany({ where: { clientId, releasedAt: null }, orderBy: { allocatedAt: 'asc' } });
    const alloc = new Map(open.map((a) => [a.resourceId, a]));
    const ids = (t: string) => open.filter((a) => a.resourceType === t).map((a) => a.resourceId);
    const [domains, mailboxes, numbers, seats] = await Promise.all([
      s.domain.findMany({ where: { id: { in: ids('domain') } }, orderBy: { name: 'asc' } }),
      s.mailbox.findMany({ where: { id: { in: ids('mailbox') } }, orderBy: { email: 'asc' } }),
      s.phoneNumber.findMany({ where: { id: { in: ids('phone_number') } }, orderBy: { e164: 'asc' } }),
      s.linkedInSeat.findMany({ where: { id: { in: ids('linkedin_seat') } }, orderBy: { accountRef: 'asc' } }),
    ]);
    const held = (id: string) => ({ allocatedAt: alloc.get(id)!.allocatedAt, holdUntil: alloc.get(id)!.holdUntil });
    return {
      counts: { domains: domains.length, mailboxes: mailboxes.length, phoneNumbers: numbers.length, linkedinSeats: seats.length },
      domains: domains.map((d) => ({
        id: d.id,
        name: d.name,
        status: d.status,
        healthClass: d.healthClass,
        heatScore: d.heatScore,
        mailboxes: mailboxes.filter((m) => m.domainId === d.id).length,
        ...held(d.id),
      })),
      mailboxes: mailboxes.map((m) => ({
        id: m.id,
        email: m.email,
        domainId: m.domainId,
        status: m.status,
        dailyLimit: m.dailyLimit,
        ...held(m.id),
      })),
      phoneNumbers: numbers.map((n) => ({ id: n.id, e164: n.e164, country: n.country, status: n.status, ...held(n.id) })),
      linkedinSeats: seats.map((x) => ({
        id: x.id,
        accountRef: x.accountRef,
        displayName: x.displayName,
        status: x.status,
        health: x.health,
        acceptRate: x.acceptRate,
        ...held(x.id),
      })),
    };
  }

  return {
    system: {
      /** The client in full, or null when there is none with that id. */
      async detail(clientId: string, nowMs: number): Promise<ClientDetail | null> {
        const client = await s.client.findUnique({ where: { id: clientId } });
        if (!client) return null;
        const [{ current, entitlement }, resources, apiKeys, campaigns, leads, openAlerts] = await Promise.all([
          subscriptionOf(clientId),
          resourcesOf(clientId),
          s.apiKey.findMany({ where: { clientId }, select: KEY_FIELDS, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] }),
          s.campaign.count({ where: { clientId } }),
          s.lead.count({ where: { clientId } }),
          s.alert.count({ where: { clientId, resolvedAt: null } }),
        ]);
        // The churn hold's release date is the churn-hold rule's (domain/churn.ts churnReleaseAt, the
        // configured hold days), the same the provisioning plan uses; none once the client is entitled again.
        const cancelledAt = entitlement.churned ? entitlement.cancelledAt : null;
        const hold = cancelledAt ? churnHoldState({ cancelledAt }, nowMs, config) : null;
        return {
          client,
          subscription: current
            ? {
                id: current.row.id,
                stripeSubscriptionId: current.row.stripeSubscriptionId,
                stripeCustomerId: current.row.stripeCustomerId,
                status: current.row.status,
                tier: current.row.tier,
                currentPeriodEnd: current.row.currentPeriodEnd,
                cancelAtPeriodEnd: current.row.cancelAtPeriodEnd,
                paidAt: current.row.paidAt,
                cancelledAt: current.view.canceledAt,
                createdAt: current.row.createdAt,
              }
            : null,
          churnHold:
            cancelledAt && hold
              ? { cancelledAt, releaseAt: hold.releaseAt, state: hold.state === 'released' ? 'released' : 'holding' }
              : null,
          resources,
          apiKeys,
          counts: { campaigns, leads, openAlerts },
        };
      },

      /** The client's API keys, oldest first (null when there is no such client). */
      async apiKeys(clientId: string): Promise<ApiKeyView[] | null> {
        const client = await s.client.findUnique({ where: { id: clientId }, select: { id: true } });
        if (!client) return null;
        return s.apiKey.findMany({ where: { clientId }, select: KEY_FIELDS, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      },

      /** Campaigns and leads per client, each counted by one grouped query (clients with none are absent). */
      async counts(): Promise<Map<string, { campaigns: number; leads: number }>> {
        const [campaigns, leads] = await Promise.all([
          s.campaign.groupBy({ by: ['clientId'], _count: { _all: true } }),
          s.lead.groupBy({ by: ['clientId'], _count: { _all: true } }),
        ]);
        const out = new Map<string, { campaigns: number; leads: number }>();
        const row = (id: string) => out.get(id) ?? out.set(id, { campaigns: 0, leads: 0 }).get(id)!;
        for (const c of campaigns) row(c.clientId).campaigns = c._count._all;
        for (const l of leads) row(l.clientId).leads = l._count._all;
        return out;
      },
    },
  };
}
export type AdminClientViews = ReturnType<typeof createAdminClientViews>;
