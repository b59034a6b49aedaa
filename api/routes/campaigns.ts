/**
 * Campaigns (SYS-001 intake, AD-002). POST takes the campaign and its ICP (no sequence) plus a
 * lead list, as JSON (`leads: [...]`) or multipart (`campaign` JSON field + `leads` CSV file).
 * Every row is validated first; then the campaign and its rows are stored in one tenant
 * transaction and `onboarding:{campaignId}` is started.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { WORKFLOW_TYPES, onboardingProgressQuery, type OnboardingInput } from '../../workflows/contracts.js';
import { validateCsvFile, validateJsonLeads, type LeadListResult } from '../lead-list.js';
import { CampaignFields, CampaignSchema, CreateCampaignJsonBody, ErrorBody, IdParams, LeadSourceSpec } from '../schemas.js';
import { HttpError, notFound } from '../errors.js';
import { describePhoneIssue, readLeadPhone } from '../../domain/phone.js';
import type { LeadRow } from '../../domain/lead-row.js';
import { requireClientId } from '../plugins/auth.js';
import { assertStorable } from '../plugins/input-guard.js';
import type { AppDeps } from '../deps.js';

type CampaignFieldsT = z.output<typeof CampaignFields>;

function zodIssues(error: z.ZodError, prefix: string) {
  return error.issues.map((i) => ({ field: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));
}

function badBody(error: z.ZodError, prefix = 'body'): HttpError {
  const issues = zodIssues(error, prefix);
  return new HttpError(400, 'validation_failed', `invalid request: ${issues.map((i) => `${i.field}: ${i.message}`).join('; ')}`, issues);
}

type Submission =
  | { fields: CampaignFieldsT; leads: LeadListResult; source?: undefined }
  | { fields: CampaignFieldsT; source: z.output<typeof LeadSourceSpec>; leads?: undefined };

/** The multipart parts: the `campaign` JSON text, the `leads` CSV bytes and the optional `charset` of the CSV. */
async function readParts(req: FastifyRequest): Promise<{ campaignJson?: string; csv?: Buffer; charset?: string }> {
  let campaignJson: string | undefined;
  let csv: Buffer | undefined;
  let charset: string | undefined;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const bytes = await part.toBuffer();
      if (part.fieldname === 'leads') csv = bytes;
      else if (part.fieldname === 'campaign')
        campaignJson = bytes.toString('utf8'); // curl -F campaign=@campaign.json
      else throw new HttpError(400, 'validation_failed', `unexpected file field "${part.fieldname}"; send the CSV as "leads"`);
    } else if (part.fieldname === 'campaign') {
      campaignJson = String(part.value);
    } else if (part.fieldname === 'charset') {
      charset = String(part.value); // the CSV's encoding when it cannot be told from its bytes
    } else {
      throw new HttpError(
        400,
        'validation_failed',
        `unexpected field "${part.fieldname}"; send "campaign" (JSON), "leads" (CSV file) and optionally "charset"`,
      );
    }
  }
  return { campaignJson, csv, charset };
}

/**
 * readParts, with a body the multipart parser cannot read (no boundary, truncated, malformed part
 * headers) answered 400; the parser's own 4xx (limits: 413) are kept.
 */
async function readMultipart(req: FastifyRequest): ReturnType<typeof readParts> {
  try {
    return await readParts(req);
  } catch (err) {
    if (err instanceof HttpError) throw err;
    const status = (err as { statusCode?: number }).statusCode;
    if (status !== undefined && status >= 400 && status < 500) throw err;
    throw new HttpError(400, 'invalid_multipart', `the multipart body cannot be read: ${(err as Error).message}`);
  }
}

async function readSubmission(req: FastifyRequest, maxRows: number): Promise<Submission> {
  if (req.isMultipart()) {
    const { campaignJson, csv, charset } = await readMultipart(req);
    if (!campaignJson) throw new HttpError(400, 'validation_failed', 'missing field "campaign" (JSON with name and icp)');
    if (csv === undefined) throw new HttpError(400, 'validation_failed', 'missing file field "leads" (CSV)');
    let raw: unknown;
    try {
      raw = JSON.parse(campaignJson);
    } catch {
      throw new HttpError(400, 'validation_failed', 'field "campaign" is not valid JSON');
    }
    assertStorable(raw, 'campaign');
    const fields = CampaignFields.safeParse(raw);
    if (!fields.success) throw badBody(fields.error, 'campaign');
    const leads = validateCsvFile(csv, maxRows, charset);
    if (leads.ok) assertStorable(leads.rows, 'leads');
    return { fields: fields.data, leads };
  }
  const body = CreateCampaignJsonBody.safeParse(req.body);
  if (!body.success) throw badBody(body.error);
  const { leads, source, ...fields } = body.data;
  if (source) return { fields, source };
  return { fields, leads: validateJsonLeads(leads!, maxRows) };
}

/** SYS-001: the rows whose phone cannot be read as a number (kept, never called or texted), for the upload's answer. */
function phoneWarnings(leads: { rows: LeadRow[]; lines?: number[] } | undefined, defaultCountry: string) {
  const list: { row: number; line?: number; field: string; message: string }[] = [];
  let count = 0;
  leads?.rows.forEach((row, i) => {
    const phone = readLeadPhone(row, defaultCountry);
    if (!phone || phone.ok) return;
    count += 1;
    if (list.length >= MAX_WARNINGS) return;
    const line = leads.lines?.[i];
    list.push({
      row: i + 1,
      ...(line ? { line } : {}),
      field: 'phone',
      message: `"${row.phone}" ${describePhoneIssue(phone.reason, row.country ?? defaultCountry)}`,
    });
  });
  return { count, list };
}

const MAX_WARNINGS = 200;

type CampaignRow = {
  id: string;
  name: string;
  status: string;
  icp: unknown;
  leadTotal: number;
  workflowId: string | null;
  createdAt: Date;
};
const campaignOut = (c: CampaignRow) => ({
  id: c.id,
  name: c.name,
  status: c.status,
  icp: c.icp,
  leadTotal: c.leadTotal,
  workflowId: c.workflowId,
  createdAt: c.createdAt.toISOString(),
});

export const campaignRoutes: FastifyPluginAsyncZod<{ deps: AppDeps }> = async (app, { deps }) => {
  const { config } = deps;
  const { campaigns, gateway } = deps.services;

  app.post(
    '/v1/campaigns',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'Create a campaign from an ICP and a lead list, and start its onboarding',
        description:
          'JSON: `{ name, icp, leads: [...] }`. Multipart: field `campaign` = JSON `{ name, icp }` and file `leads` = CSV with a header row ' +
          '(email, first_name, last_name, title, company, company_domain, industry, employee_count, city, state, country, phone, linkedin_url). ' +
          'Instead of a list, JSON may name a lead source: `source: { type: "apollo", limit }` finds the leads from the ICP (needs APOLLO_API_KEY). ' +
          "A campaign takes no sequence: sequences are generated from each lead's score (AD-001, AD-002). " +
          'Optional columns feed the score (SYS-002): email_verified (yes/no), personal_email, role_start_date (YYYY-MM-DD) or months_in_role, ' +
          'company_hiring (yes/no), funding_date (YYYY-MM-DD) or months_since_funding, competitor (yes/no); with APOLLO_API_KEY and ZEROBOUNCE_API_KEY ' +
          'onboarding fills what the list leaves out (GET /v1/leads/:id shows each fact and where it came from). ' +
          'The CSV may be UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252/Latin-1; another encoding is named in the field `charset`. ' +
          'A cell that a spreadsheet would run as a formula (starting with = + - @) is refused, except phone numbers starting with +. ' +
          'Any invalid row rejects the whole request with every bad row listed by line and field; nothing is stored. ' +
          "Phone numbers that pass but cannot be read as a number of the lead's country (or the client's) are accepted and listed in `warnings` " +
          '(the lead is kept, with no call or SMS).',
        response: { 202: CampaignSchema, 400: ErrorBody, 401: ErrorBody, 503: ErrorBody },
      },
    },
    async (req, reply) => {
      const clientId = requireClientId(req);
      const { fields, leads, source } = await readSubmission(req, config.api.maxLeadsPerCampaign);
      if (leads && !leads.ok) throw new HttpError(400, leads.code ?? 'invalid_leads', leads.message, leads.errors);
      if (source && !config.providers.apollo.apiKey) {
        throw new HttpError(400, 'no_lead_source', 'lead sourcing needs a sourcing API: set APOLLO_API_KEY, or send the leads as a list');
      }
      if (source && source.limit > config.api.maxLeadsPerCampaign) {
        throw new HttpError(400, 'validation_failed', `source.limit: at most ${config.api.maxLeadsPerCampaign} leads per campaign`);
      }

      const rows = leads?.ok ? leads.rows : [];
      const { campaign, defaultCountry } = await campaigns.forTenant(clientId).create({ name: fields.name, icp: fields.icp }, rows);

      const input: OnboardingInput = {
        version: 1,
        clientId,
        campaignId: campaign.id,
        leadTotal: rows.length,
        defaultCountry,
        batchSize: config.onboarding.importBatchSize,
        ...(source ? { source } : {}),
      };
      try {
        const memo = { clientId, campaignName: campaign.name };
        await gateway.start(WORKFLOW_TYPES.onboarding, campaign.workflowId!, [input], { memo, deadlineMs: Date.now() + 5000 });
      } catch (err) {
        // The answer may be what was lost (a busy server past the deadline): a start that happened stands.
        const started = await gateway.exists(campaign.workflowId!, Date.now() + 5000).catch(() => false);
        if (!started) {
          // Nothing half-done stays behind: the caller can simply retry.
          await campaigns
            .forTenant(clientId)
            .remove(campaign.id)
            .catch(() => undefined);
          req.log.error({ err, campaignId: campaign.id }, 'could not start onboarding workflow');
          throw new HttpError(503, 'workflow_unavailable', 'the workflow service is unavailable; nothing was stored, please retry');
        }
      }
      reply.header('location', `/v1/campaigns/${campaign.id}`);
      const warnings = phoneWarnings(leads?.ok ? leads : undefined, defaultCountry);
      return reply.status(202).send({
        ...campaignOut(campaign),
        progress: { stage: 'queued', total: rows.length, imported: 0, invalidPhones: warnings.count, source: 'database' as const },
        ...(warnings.count ? { warnings: warnings.list } : {}),
      });
    },
  );

  app.get(
    '/v1/campaigns',
    {
      schema: {
        tags: ['campaigns'],
        summary: "List the client's campaigns, newest first",
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
        response: { 200: z.object({ campaigns: z.array(CampaignSchema) }) },
      },
    },
    async (req) => {
      const clientId = requireClientId(req);
      return { campaigns: (await campaigns.forTenant(clientId).list(req.query.limit)).map(campaignOut) };
    },
  );

  app.get(
    '/v1/campaigns/:id',
    {
      schema: {
        tags: ['campaigns'],
        summary: 'A campaign with its onboarding progress',
        params: IdParams,
        response: { 200: CampaignSchema, 404: ErrorBody },
      },
    },
    async (req) => {
      const clientId = requireClientId(req);
      const found = await campaigns.forTenant(clientId).withCounts(req.params.id);
      if (!found) throw notFound('campaign');
      const { campaign, counts } = found;
      let progress: z.infer<typeof CampaignSchema>['progress'] = {
        stage: campaign.status,
        total: campaign.leadTotal,
        ...counts,
        source: 'database',
      };
      // While onboarding runs, its workflow knows the live stage and per-batch figures.
      if (campaign.workflowId && ['draft', 'importing', 'imported'].includes(campaign.status)) {
        try {
          const p = await gateway.query(campaign.workflowId, onboardingProgressQuery, Date.now() + 3000);
          if (p) progress = { ...p, source: 'workflow' };
        } catch (err) {
          req.log.debug({ err, campaignId: campaign.id }, 'progress query failed; answering from the database');
        }
      }
      return { ...campaignOut(campaign), progress };
    },
  );
};
