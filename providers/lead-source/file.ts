/**
 * The default lead source: a list the client uploaded (CSV/JSON, already parsed into
 * SourcedLead rows) served through the same LeadSource interface as Apollo, so the onboarding
 * pages through an uploaded list and an API search the same way (SYS-001).
 *
 *   const source = createListLeadSource(rows);          // name 'file'
 *   let cursor: string | undefined;
 *   do {
 *     const page = await source.search(icp, { cursor, pageSize: 500 });
 *     cursor = page.nextCursor;
 *   } while (cursor);
 *
 * - The list IS the ICP's result: the query is ignored (the client chose these people).
 * - The rows are copied when the source is created, so paging is stable if the caller's array
 *   changes afterwards.
 * - Cursor = the offset of the next row as a decimal string; undefined after the last page (an
 *   empty list answers one empty page). A cursor we did not make is a permanent ProviderError
 *   'bad_cursor'. `total` is the list length; `skipped` is always 0 (rows were validated when
 *   the list was uploaded).
 */
import { ProviderError, type LeadSource, type SourcedLead, type SourcingQuery } from '../ports.js';

export interface ListLeadSourcePage {
  leads: SourcedLead[];
  nextCursor?: string;
  total: number;
  skipped: number;
}

export interface ListLeadSource extends LeadSource {
  search(query: SourcingQuery, page: { cursor?: string; pageSize: number }): Promise<ListLeadSourcePage>;
}

export function createListLeadSource(rows: SourcedLead[], name = 'file'): ListLeadSource {
  const list = rows.map((r) => ({ ...r }));
  return {
    name,
    async search(_query, page) {
      let offset = 0;
      if (page.cursor !== undefined && page.cursor !== '') {
        if (!/^\d+$/.test(page.cursor))
          throw new ProviderError(name, 'bad_cursor', `Not a ${name} lead-source cursor: "${page.cursor}"`, false);
        offset = Number(page.cursor);
      }
      const size = Math.max(1, Math.floor(page.pageSize));
      const end = Math.min(list.length, offset + size);
      const leads = list.slice(offset, end).map((r) => ({ ...r }));
      return { leads, total: list.length, skipped: 0, ...(end < list.length ? { nextCursor: String(end) } : {}) };
    },
  };
}
