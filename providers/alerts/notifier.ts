/**
 * Alert notifications (SYS-009): the operator's channels for alerts raised by the system.
 *
 * - Webhook: POST JSON `{ type: 'alert', alert }` with
 *     content-type: application/json
 *     x-agency-os-event-id: <alert id>          receivers dedupe on it (a retry may deliver again)
 *     x-agency-os-signature: t=<unix>,v1=<hex>  when a secret is set; v1 = HMAC-SHA256(secret,
 *                                               `${t}.${rawBody}`), the scheme Stripe uses.
 *   A non-2xx answer, a timeout or a network error throws, so the calling Temporal activity retries.
 * - Email: nodemailer over ALERT_SMTP_URL, a plain-text message to ALERT_EMAIL_TO with the subject
 *   `[Agency OS] <SEVERITY>: <first 80 characters of the message>`.
 *
 * With no channel configured `channels` is [] and notify() does nothing.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createTransport, type Transporter } from 'nodemailer';

export type AlertSeverityName = 'info' | 'warning' | 'critical';

export interface AlertNotice {
  id: string;
  kind: string;
  severity: AlertSeverityName;
  message: string;
  clientId: string | null;
  data: Record<string, unknown>;
  /** ISO 8601. */
  createdAt: string;
}

export interface AlertNotifier {
  /** The configured channels: 'webhook' and/or 'email'. */
  readonly channels: string[];
  /** Delivers the alert on every channel; throws when any channel failed. */
  notify(alert: AlertNotice): Promise<void>;
}

export interface AlertNotifierOptions {
  webhookUrl?: string;
  webhookSecret?: string;
  emailTo?: string;
  emailFrom: string;
  smtpUrl?: string;
  /** Webhook request and SMTP connection timeout in ms (default 10 000). */
  timeoutMs?: number;
}

export const ALERT_EVENT_ID_HEADER = 'x-agency-os-event-id';
export const ALERT_SIGNATURE_HEADER = 'x-agency-os-signature';

export class AlertNotifyError extends Error {
  override name = 'AlertNotifyError';
  constructor(
    readonly channel: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The signature header value for a body: `t=<unix seconds>,v1=<hex hmac-sha256(secret, t.body)>`. */
export function signAlertBody(body: string, secret: string, nowMs = Date.now()): string {
  const t = Math.floor(nowMs / 1000);
  const v1 = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${v1}`;
}

/**
 * For receivers (and tests): true when `header` carries a v1 signature of `body` under `secret`
 * made within `toleranceSec` of now.
 */
export function verifyAlertSignature(
  body: string,
  header: string | undefined | null,
  secret: string,
  toleranceSec = 300,
  nowMs = Date.now(),
): boolean {
  if (!header) return false;
  let t: number | undefined;
  const candidates: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d+$/.test(v)) t = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/i.test(v)) candidates.push(v.toLowerCase());
  }
  if (t === undefined || candidates.length === 0) return false;
  if (Math.abs(nowMs / 1000 - t) > toleranceSec) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${body}`).digest('hex'), 'utf8');
  return candidates.some((c) => {
    const got = Buffer.from(c, 'utf8');
    return got.length === expected.length && timingSafeEqual(got, expected);
  });
}

export function alertEmailSubject(alert: Pick<AlertNotice, 'severity' | 'message'>): string {
  const oneLine = alert.message.replace(/\s+/g, ' ').trim();
  return `[Agency OS] ${alert.severity.toUpperCase()}: ${oneLine.slice(0, 80)}`;
}

function alertEmailText(alert: AlertNotice): string {
  return [
    alert.message,
    '',
    `Severity: ${alert.severity}`,
    `Kind: ${alert.kind}`,
    `Client: ${alert.clientId ?? '-'}`,
    `Raised at: ${alert.createdAt}`,
    `Alert id: ${alert.id}`,
    '',
    'Data:',
    JSON.stringify(alert.data, null, 2),
    '',
  ].join('\n');
}

export function createAlertNotifier(opts: AlertNotifierOptions): AlertNotifier {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const senders: Array<{ channel: string; send(alert: AlertNotice): Promise<void> }> = [];

  if (opts.webhookUrl) {
    const url = opts.webhookUrl;
    senders.push({
      channel: 'webhook',
      async send(alert) {
        const body = JSON.stringify({ type: 'alert', alert });
        const headers: Record<string, string> = { 'content-type': 'application/json', [ALERT_EVENT_ID_HEADER]: alert.id };
        if (opts.webhookSecret) headers[ALERT_SIGNATURE_HEADER] = signAlertBody(body, opts.webhookSecret);
        let res: Response;
        try {
          res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(timeoutMs) });
        } catch (err) {
          throw new AlertNotifyError('webhook', `alert webhook unreachable: ${(err as Error).message}`);
        }
        // Drain the body so the connection is released.
        await res.text().catch(() => '');
        if (!res.ok) throw new AlertNotifyError('webhook', `alert webhook answered ${res.status}`, res.status);
      },
    });
  }

  if (opts.emailTo && opts.smtpUrl) {
    const smtpUrl = opts.smtpUrl;
    const to = opts.emailTo;
    let transport: Transporter | undefined;
    senders.push({
      channel: 'email',
      async send(alert) {
        // The URL's settings win; the timeouts apply where it sets none.
        transport ??= createTransport({
          url: smtpUrl,
          connectionTimeout: timeoutMs,
          greetingTimeout: timeoutMs,
          socketTimeout: timeoutMs,
          logger: false,
        });
        try {
          await transport.sendMail({ from: opts.emailFrom, to, subject: alertEmailSubject(alert), text: alertEmailText(alert) });
        } catch (err) {
          throw new AlertNotifyError('email', `alert email failed: ${(err as Error).message}`);
        }
      },
    });
  }

  return {
    channels: senders.map((s) => s.channel),
    async notify(alert) {
      if (senders.length === 0) return;
      const results = await Promise.allSettled(senders.map((s) => s.send(alert)));
      const errors = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
      if (errors.length === 1) throw errors[0];
      if (errors.length > 1) throw new AlertNotifyError('multiple', errors.map((e) => e.message).join('; '));
    },
  };
}
