// SMS through an HTTP gateway (the carrier sandbox hosts one for development and tests).
// Numbers go out in E.164; the ledger key is the gateway's idempotency key, so a resend after a
// crash is recognised by the gateway and not sent twice.
export interface SmsSender {
  send(message: { to: string; ledgerKey: string; text: string }): Promise<{ providerRef: string }>;
}

export interface SmsConfig {
  baseUrl: string;
  apiKey: string;
  /** Sender name shown on the phone. */
  sender: string;
  timeoutMs?: number;
}

/** A gateway answer worth trying again later (5xx, 429, timeouts); others are final. */
export class SmsRejected extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export function createSmsSender({ baseUrl, apiKey, sender, timeoutMs = 10_000 }: SmsConfig): SmsSender {
  return {
    async send({ to, ledgerKey, text }) {
      const response = await fetch(`${baseUrl.replace(/\/$/, '')}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json', 'idempotency-key': ledgerKey },
        body: JSON.stringify({ to, from: sender, text }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = (await response.json().catch(() => ({}))) as { id?: string; error?: string; message?: string };
      if (!response.ok) {
        const retryable = response.status >= 500 || response.status === 429;
        throw new SmsRejected(`SMS gateway answered ${response.status} ${body.error ?? ''} ${body.message ?? ''}`.trim(), retryable);
      }
      if (!body.id) throw new SmsRejected('SMS gateway answered without a message id', true);
      return { providerRef: body.id };
    },
  };
}
