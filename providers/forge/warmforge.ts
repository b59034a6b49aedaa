/**
 * Warmforge as the WarmupService (RP-006 warmup start, heat score polling) over
 * providers/forge/http.ts.
 *
 *   const warmup = createWarmforgeService({ apiKey, workspaceId, baseUrl? });
 *   const mb = await warmup.connectMailbox({ address, firstName, lastName, credentials, externalReference });
 *   await warmup.enableWarmup(address, { startDate: '2026-11-02', minEmailsPerDay: 2, maxEmailsPerDay: 40, emailRampUp: 2, replyRatePercent: 30 });
 *   (await warmup.findMailbox(address))?.heatScore;   // poll daily: Warmforge has no webhooks
 *   await warmup.disableWarmup(address);              // RP-009: the domain is retired
 *
 * Requests (base `https://api.warmforge.ai/public/v1`, header `Authorization: <raw key>`, Bearer
 * on a 401: see http.ts); `{wid}` is the workspace id, URL-encoded:
 *   findMailbox     GET   /workspaces/{wid}/mailboxes?page=1&page_size=50&search=<address>&status=all
 *                         exact address match (case-insensitive) among the results
 *   connectMailbox  POST  /workspaces/{wid}/mailboxes/connect-smtp {address, firstName, lastName,
 *                         smtpHost, smtpPort, smtpUsername, smtpPassword, imapHost, imapPort,
 *                         imapUsername, imapPassword, warmupEnabled: false, externalReference}
 *                         409 (already connected) -> the mailbox as findMailbox sees it in our
 *                         workspace; not there (it is in another workspace) -> permanent
 *                         ProviderError 'conflict'
 *   enableWarmup    PATCH /workspaces/{wid}/mailboxes/{encodeURIComponent(address)} {warmupEnabled: true,
 *                         warmupStartDate, minEmailsPerDay, maxEmailsPerDay, emailRampUp, replyRatePercent}
 *                         with the settings clamped to Warmforge's ranges (clampWarmupSettings):
 *                         min/max emails per day 1..20 (min <= max), ramp-up 0..20, reply rate
 *                         0..50 (all rounded to integers). A PATCH is idempotent.
 *   disableWarmup   PATCH /workspaces/{wid}/mailboxes/{encodeURIComponent(address)} {warmupEnabled: false}
 *                         404 (mailbox gone or never connected) -> resolved; an empty address is
 *                         a permanent 'invalid_request' (never sent). Idempotent.
 *
 * Connecting a mailbox is free and has no idempotency key either; it is sent once, and a
 * retried activity that connects again gets the 409 path above.
 *
 * ASSUMPTIONS about Warmforge's wire format (PROVIDERS.md section 5 is third-party notes; the
 * Swagger at https://api.warmforge.ai/public/swagger/doc.json could not be read: TO VERIFY
 * before going live):
 *   - The list answer is `{data:[...]}` (a bare array and `items`/`results`/`mailboxes` are
 *     accepted too); 50 results of a search by the full address are enough to find it.
 *   - A mailbox is `{address | email, status (active|access_lost|pending|suspended),
 *     warmupEnabled?, warm?, warmupDaysCompleted?, healthReport?: {heatScore, warmupDays, ...}}`.
 *     warmupEnabled is read from `warmupEnabled` when it is a boolean, else from `warm`;
 *     heatScore is null when there is no healthReport (no check yet); warmupDaysCompleted falls
 *     back to healthReport.warmupDays. A missing status is read as 'pending'.
 *   - connect-smtp answers the new mailbox (bare or `{data}`); when it does not, the mailbox is
 *     read back with findMailbox, and if still not visible a `pending` mailbox (warmup off, no
 *     heat score) is returned.
 *   - A 409 from connect-smtp means "this address is already connected" — in another workspace
 *     (PROVIDERS.md) and, assumed, also in ours; either way findMailbox tells which.
 *   - `warmupStartDate` is the plain 'YYYY-MM-DD' string; the PATCH answer body is not used.
 *   - No SMTP/IMAP TLS flags are sent (Warmforge is assumed to negotiate from the ports).
 *   - The PATCH accepts a body carrying only `warmupEnabled` (the other settings are left as
 *     they were). A 404 is read as "no such mailbox" (a 404 for a wrong workspace id looks the
 *     same and would also resolve: findMailbox/connectMailbox would fail loudly on that first).
 */
import { ProviderError, type WarmupMailbox, type WarmupService, type WarmupSettings } from '../ports.js';
import { createForgeHttpClient, firstStr, isObject, listItems, num, singleItem, type ForgeHttpClient } from './http.js';

export const WARMFORGE = 'warmforge';
export const WARMFORGE_DEFAULT_BASE_URL = 'https://api.warmforge.ai/public/v1';
/** Warmforge's ranges for the warmup settings (PROVIDERS.md 5). */
export const WARMFORGE_LIMITS = {
  emailsPerDay: { min: 1, max: 20 },
  emailRampUp: { min: 0, max: 20 },
  replyRatePercent: { min: 0, max: 50 },
} as const;
export const WARMFORGE_SEARCH_PAGE_SIZE = 50;

export interface WarmforgeServiceOptions {
  /** Default https://api.warmforge.ai/public/v1 (a fake in tests). A trailing '/' is ignored. */
  baseUrl?: string;
  apiKey: string;
  workspaceId: string;
  /** Per-request timeout (default 30 s); a timeout is a retryable error. */
  timeoutMs?: number;
  /** For tests: the fetch to send with (default: global fetch). */
  fetchImpl?: typeof fetch;
}

/** The service plus the HTTP client's auth scheme (for tests and diagnostics). */
export interface WarmforgeService extends WarmupService {
  readonly http: ForgeHttpClient;
}

/** The PATCH body that turns warmup on. */
export interface WarmforgeWarmupPatch {
  warmupEnabled: true;
  warmupStartDate: string;
  minEmailsPerDay: number;
  maxEmailsPerDay: number;
  emailRampUp: number;
  replyRatePercent: number;
}

/** The PATCH body that turns warmup off. */
export interface WarmforgeWarmupOffPatch {
  warmupEnabled: false;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(value)));
}

/**
 * The settings brought into Warmforge's ranges (see the header). A non-finite number or a start
 * date that is not a real YYYY-MM-DD day is a permanent ProviderError 'invalid_request'.
 */
export function clampWarmupSettings(settings: WarmupSettings, provider: string = WARMFORGE): WarmupSettings {
  const numbers = ['minEmailsPerDay', 'maxEmailsPerDay', 'emailRampUp', 'replyRatePercent'] as const;
  for (const key of numbers) {
    if (typeof settings[key] !== 'number' || !Number.isFinite(settings[key])) {
      throw new ProviderError(provider, 'invalid_request', `warmup setting ${key} is not a number: ${String(settings[key])}`, false);
    }
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(settings.startDate);
  const day = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : undefined;
  if (!m || !day || day.toISOString().slice(0, 10) !== settings.startDate) {
    throw new ProviderError(provider, 'invalid_request', `warmup startDate must be YYYY-MM-DD, got "${settings.startDate}"`, false);
  }
  const { emailsPerDay, emailRampUp, replyRatePercent } = WARMFORGE_LIMITS;
  const maxEmailsPerDay = clamp(settings.maxEmailsPerDay, emailsPerDay.min, emailsPerDay.max);
  const minEmailsPerDay = Math.min(maxEmailsPerDay, clamp(settings.minEmailsPerDay, emailsPerDay.min, emailsPerDay.max));
  return {
    startDate: settings.startDate,
    minEmailsPerDay,
    maxEmailsPerDay,
    emailRampUp: clamp(settings.emailRampUp, emailRampUp.min, emailRampUp.max),
    replyRatePercent: clamp(settings.replyRatePercent, replyRatePercent.min, replyRatePercent.max),
  };
}

/** The PATCH body for enableWarmup (settings clamped). */
export function warmforgeWarmupPatch(settings: WarmupSettings): WarmforgeWarmupPatch {
  const s = clampWarmupSettings(settings);
  return {
    warmupEnabled: true,
    warmupStartDate: s.startDate,
    minEmailsPerDay: s.minEmailsPerDay,
    maxEmailsPerDay: s.maxEmailsPerDay,
    emailRampUp: s.emailRampUp,
    replyRatePercent: s.replyRatePercent,
  };
}

/** A Warmforge mailbox item -> WarmupMailbox, or undefined when it has no address. */
export function mapWarmforgeMailbox(item: unknown): WarmupMailbox | undefined {
  if (!isObject(item)) return undefined;
  const address = firstStr(item, 'address', 'email', 'emailAddress');
  if (!address) return undefined;
  const health = isObject(item.healthReport) ? item.healthReport : undefined;
  const heat = health ? num(health.heatScore) : undefined;
  const days = num(item.warmupDaysCompleted) ?? (health ? num(health.warmupDays) : undefined);
  return {
    address,
    status: firstStr(item, 'status')?.toLowerCase() ?? 'pending',
    warmupEnabled: typeof item.warmupEnabled === 'boolean' ? item.warmupEnabled : item.warm === true,
    heatScore: heat ?? null,
    ...(days !== undefined ? { warmupDaysCompleted: days } : {}),
  };
}

const sameAddress = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

export function createWarmforgeService(opts: WarmforgeServiceOptions): WarmforgeService {
  if (!opts.workspaceId) throw new ProviderError(WARMFORGE, 'invalid_request', 'No Warmforge workspace id configured', false);
  const http = createForgeHttpClient({
    provider: WARMFORGE,
    baseUrl: opts.baseUrl ?? WARMFORGE_DEFAULT_BASE_URL,
    apiKey: opts.apiKey,
    ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}),
    ...(opts.fetchImpl ? { fetchImpl: opts.fetchImpl } : {}),
  });
  const mailboxesPath = `/workspaces/${encodeURIComponent(opts.workspaceId)}/mailboxes`;

  async function findMailbox(address: string): Promise<WarmupMailbox | null> {
    const wanted = address.trim();
    const res = await http.request({
      method: 'GET',
      path: mailboxesPath,
      query: { page: 1, page_size: WARMFORGE_SEARCH_PAGE_SIZE, search: wanted, status: 'all' },
    });
    const items = listItems(res.body, ['mailboxes']);
    if (!items) {
      throw new ProviderError(
        WARMFORGE,
        'unexpected_response',
        `Warmforge GET ${mailboxesPath} answered ${res.status} without a list`,
        true,
        res.status,
      );
    }
    for (const item of items) {
      const mb = mapWarmforgeMailbox(item);
      if (mb && sameAddress(mb.address, wanted)) return mb;
    }
    return null;
  }

  return {
    http,
    findMailbox,

    async connectMailbox(input) {
      const address = input.address.trim();
      const { smtp, imap } = input.credentials;
      const body = {
        address,
        firstName: input.firstName,
        lastName: input.lastName,
        smtpHost: smtp.host,
        smtpPort: smtp.port,
        smtpUsername: smtp.user,
        smtpPassword: smtp.pass,
        imapHost: imap.host,
        imapPort: imap.port,
        imapUsername: imap.user,
        imapPassword: imap.pass,
        warmupEnabled: false,
        externalReference: input.externalReference,
      };
      let answer: unknown;
      try {
        answer = (await http.request({ method: 'POST', path: `${mailboxesPath}/connect-smtp`, body })).body;
      } catch (err) {
        if (!(err instanceof ProviderError) || err.code !== 'conflict') throw err;
        const existing = await findMailbox(address);
        if (existing) return existing;
        throw new ProviderError(
          WARMFORGE,
          'conflict',
          `Warmforge: ${address} is already connected in another workspace (${err.message})`,
          false,
          err.status,
        );
      }
      const created = mapWarmforgeMailbox(singleItem(answer));
      if (created && sameAddress(created.address, address)) return created;
      return (await findMailbox(address)) ?? { address, status: 'pending', warmupEnabled: false, heatScore: null };
    },

    async enableWarmup(address, settings) {
      const body = warmforgeWarmupPatch(settings);
      await http.request({ method: 'PATCH', path: `${mailboxesPath}/${encodeURIComponent(address.trim())}`, body });
    },

    async disableWarmup(address) {
      const wanted = address.trim();
      if (wanted === '') throw new ProviderError(WARMFORGE, 'invalid_request', 'disableWarmup needs a mailbox address', false);
      const body: WarmforgeWarmupOffPatch = { warmupEnabled: false };
      try {
        await http.request({ method: 'PATCH', path: `${mailboxesPath}/${encodeURIComponent(wanted)}`, body });
      } catch (err) {
        if (err instanceof ProviderError && err.code === 'not_found') return; // already gone
        throw err;
      }
    },
  };
}
