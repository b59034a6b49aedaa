/**
 * People (system path: the rules span rows, campaigns and clients). A person is a normalised email
 * address and an E.164 number; a lead's person keys are those it carries. DOMAIN.md cross-cutting
 * protections: a person is contacted by at most one sequence at a time (whichever client's, even
 * twice in one list), and at most once a day across all channels (the day claim is taken with each
 * touch's reservation: services/touches/reservation.ts).
 */
import type { Db } from '../db/client.js';

/** The keys a lead is known by: `email:<lower-cased address>`, `phone:<E.164>`. */
export function personKeys(lead: { email: string | null; phoneE164: string | null }): string[] {
  const keys: string[] = [];
  const email = lead.email?.trim().toLowerCase();
  if (email) keys.push(`email:${email}`);
  const phone = lead.phoneE164?.trim();
  if (phone) keys.push(`phone:${phone}`);
  return keys;
}

const MAX_PERSON_KEYS = 100;

/**
 * A person's keys: the lead's own, and those of every lead (any client) known by one of them,
 * followed a few links deep (an address on one row and a number on another are one person when a
 * third row has both). Bounded: a number shared by a whole company stops growing at 100 keys.
 */
export async function personOf(db: Db, lead: { email: string | null; phoneE164: string | null }): Promise<string[]> {
  const keys = new Set(personKeys(lead));
  for (let round = 0; round < 3 && keys.size < MAX_PERSON_KEYS; round++) {
    const emails = [...keys].filter((k) => k.startsWith('email:')).map((k) => k.slice(6));
    const phones = [...keys].filter((k) => k.startsWith('phone:')).map((k) => k.slice(6));
    const rows = await db.system.$queryRaw<{ email: string | null; phone_e164: string | null }[]>`
      SELECT DISTINCT email, phone_e164 FROM leads
       WHERE email = ANY(${emails}) OR phone_e164 = ANY(${phones})
       LIMIT ${MAX_PERSON_KEYS}`;
    const before = keys.size;
    for (const r of rows) for (const k of personKeys({ email: r.email, phoneE164: r.phone_e164 })) keys.add(k);
    if (keys.size === before) break;
  }
  return [...keys].sort();
}

/**
 * personOf for many leads at once: the same links followed, one query per round for all of them.
 * Each lead's keys in the same order as personOf's (sorted).
 */
export async function peopleOf(db: Db, leads: { email: string | null; phoneE164: string | null }[]): Promise<string[][]> {
  const sets = leads.map((l) => new Set(personKeys(l)));
  const asked = new Set<string>();
  const linked = new Map<string, Set<string>>();
  for (let round = 0; round < 3; round++) {
    const ask = [...new Set(sets.filter((k) => k.size < MAX_PERSON_KEYS).flatMap((k) => [...k]))].filter((k) => !asked.has(k));
    if (!ask.length) break;
    for (const k of ask) asked.add(k);
    const emails = ask.filter((k) => k.startsWith('email:')).map((k) => k.slice(6));
    const phones = ask.filter((k) => k.startsWith('phone:')).map((k) => k.slice(6));
    const rows = await db.system.$queryRaw<{ email: string | null; phone_e164: string | null }[]>`
      SELECT DISTINCT email, phone_e164 FROM leads WHERE email = ANY(${emails}) OR phone_e164 = ANY(${phones})`;
    for (const r of rows) {
      const keys = personKeys({ email: r.email, phoneE164: r.phone_e164 });
      for (const k of keys) for (const other of keys) (linked.get(k) ?? linked.set(k, new Set()).get(k)!).add(other);
    }
    let grew = false;
    for (const keys of sets) {
      for (const k of [...keys]) {
        for (const other of linked.get(k) ?? []) {
          if (keys.size >= MAX_PERSON_KEYS) break;
          if (keys.has(other)) continue;
          keys.add(other);
          grew = true;
        }
      }
    }
    if (!grew) break;
  }
  return sets.map((k) => [...k].sort());
}

export interface SequenceLead {
  id: string;
  clientId: string;
  email: string | null;
  phoneE164: string | null;
  sequenceStartedAt: Date | null;
}

export type SequenceClaim = { claimed: true } | { claimed: false; heldBy: { leadId: string; clientId: string } };

class HeldElsewhere extends Error {
  constructor(readonly heldBy: { leadId: string; clientId: string }) {
    super('person in another sequence');
  }
}

export function createPeople(db: Db) {
  return {
    system: {
      /**
       * Claims the lead's person for its sequence and marks the lead in sequence, in one
       * transaction; refused when another lead whose sequence is running holds any of the
       * person's keys. A claim of a lead no longer in sequence (ended, stopped, cancelled) is taken over.
       */
      async claimSequence(lead: SequenceLead, workflowId: string, nowMs: number): Promise<SequenceClaim> {
        const keys = await personOf(db, lead);
        try {
          await db.system.$transaction(async (tx) => {
            // One claim of a person at a time (keys locked in one order: no deadlock). The statements
            // after the lock see what the claim before committed (READ COMMITTED takes a new snapshot).
            for (const key of keys) await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
            for (const key of keys) {
              const won = await tx.$queryRaw<{ lead_id: string }[]>`
                INSERT INTO person_sequences (person_key, lead_id, client_id, claimed_at)
                VALUES (${key}, ${lead.id}::uuid, ${lead.clientId}::uuid, now())
                ON CONFLICT (person_key) DO UPDATE
                  SET lead_id = EXCLUDED.lead_id, client_id = EXCLUDED.client_id, claimed_at = EXCLUDED.claimed_at
                  WHERE person_sequences.lead_id = EXCLUDED.lead_id
                     OR NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = person_sequences.lead_id AND l.status = 'in_sequence')
                RETURNING lead_id::text`;
              if (won.length === 0) {
                const [holder] = await tx.$queryRaw<{ lead_id: string; client_id: string }[]>`
                  SELECT lead_id::text, client_id::text FROM person_sequences WHERE person_key = ${key}`;
                throw new HeldElsewhere({ leadId: holder!.lead_id, clientId: holder!.client_id });
              }
            }
            await tx.lead.update({
              where: { id: lead.id },
              data: { status: 'in_sequence', sequenceWorkflowId: workflowId, sequenceStartedAt: lead.sequenceStartedAt ?? new Date(nowMs) },
            });
          });
          return { claimed: true };
        } catch (err) {
          if (err instanceof HeldElsewhere) return { claimed: false, heldBy: err.heldBy };
          throw err;
        }
      },

      /**
       * claimSequence for many leads in one transaction (issue 11: onboarding in bulk), with the
       * same rule: every key of every lead locked first, in one order; then, in the given order,
       * a lead is refused when another running lead (or one claimed before it here) holds one of
       * its keys. `keys`: the lead's person keys (peopleOf). Claiming again for the same lead is a no-op.
       */
      async claimSequences(claims: { lead: SequenceLead; keys: string[]; workflowId: string }[], nowMs: number): Promise<SequenceClaim[]> {
        if (!claims.length) return [];
        const all = [...new Set(claims.flatMap((c) => c.keys))].sort();
        return db.system.$transaction(async (tx) => {
          await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtextextended(k, 0))::text FROM unnest(${all}::text[]) WITH ORDINALITY AS u(k, i) ORDER BY i`;
          const holders = await tx.$queryRaw<{ person_key: string; lead_id: string; client_id: string }[]>`
            SELECT p.person_key, p.lead_id::text, p.client_id::text FROM person_sequences p JOIN leads l ON l.id = p.lead_id
             WHERE p.person_key = ANY(${all}) AND l.status = 'in_sequence'`;
          const held = new Map(holders.map((h) => [h.person_key, { leadId: h.lead_id, clientId: h.client_id }]));
          const won: { key: string; leadId: string; clientId: string }[] = [];
          const results = claims.map(({ lead, keys }): SequenceClaim => {
            const heldBy = keys.map((k) => held.get(k)).find((h) => h && h.leadId !== lead.id);
            if (heldBy) return { claimed: false, heldBy };
            for (const key of keys) {
              held.set(key, { leadId: lead.id, clientId: lead.clientId });
              won.push({ key, leadId: lead.id, clientId: lead.clientId });
            }
            return { claimed: true };
          });
          if (won.length) {
            await tx.$executeRaw`
              INSERT INTO person_sequences (person_key, lead_id, client_id, claimed_at)
              SELECT k, l::uuid, c::uuid, now() FROM unnest(${won.map((w) => w.key)}::text[], ${won.map((w) => w.leadId)}::text[], ${won.map((w) => w.clientId)}::text[]) AS u(k, l, c)
              ON CONFLICT (person_key) DO UPDATE SET lead_id = EXCLUDED.lead_id, client_id = EXCLUDED.client_id, claimed_at = EXCLUDED.claimed_at`;
          }
          const claimed = claims.filter((_, i) => results[i]!.claimed);
          if (claimed.length) {
            await tx.$executeRaw`
              UPDATE leads SET status = 'in_sequence', sequence_workflow_id = w.wf, sequence_started_at = COALESCE(leads.sequence_started_at, ${new Date(nowMs)})
                FROM unnest(${claimed.map((c) => c.lead.id)}::text[], ${claimed.map((c) => c.workflowId)}::text[]) AS w(id, wf)
               WHERE leads.id = w.id::uuid`;
          }
          return results;
        });
      },

      /** The lead's sequence has ended: its person is free for another sequence. */
      async releaseSequence(leadId: string): Promise<void> {
        await db.system.personSequence.deleteMany({ where: { leadId } });
      },

      /** The client's sequences were cancelled (churn release): its running leads say so, and their people are free. */
      async releaseClient(clientId: string): Promise<number> {
        return db.system.$transaction(async (tx) => {
          const { count } = await tx.lead.updateMany({ where: { clientId, status: 'in_sequence' }, data: { status: 'cancelled' } });
          await tx.personSequence.deleteMany({ where: { clientId } });
          return count;
        });
      },

      /** Whether another lead's running sequence holds any of these keys (the check before each touch). */
      async heldElsewhere(leadId: string, keys: string[]): Promise<boolean> {
        if (!keys.length) return false;
        const rows = await db.system.$queryRaw<{ n: bigint }[]>`
          SELECT count(*) AS n FROM person_sequences p JOIN leads l ON l.id = p.lead_id
           WHERE p.person_key = ANY(${keys}) AND p.lead_id <> ${leadId}::uuid AND l.status = 'in_sequence'`;
        return Number(rows[0]?.n ?? 0) > 0;
      },
    },
  };
}
export type People = ReturnType<typeof createPeople>;
