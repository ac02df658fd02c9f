import { createHash } from "node:crypto";

/**
 * A webhook URL as people without webhooks:write (and the audit log, which every member reads)
 * see it: the origin only, since paths and queries often carry the receiver's secret (Slack's
 * incoming-webhook URLs do). A short fingerprint of the whole URL shows that it changed.
 */
export function redactWebhookUrl(url: string): string {
  let origin: string;
  try {
    origin = new URL(url).origin;
  } catch {
    return "(invalid URL)";
  }
  const fingerprint = createHash("sha256").update(url).digest("hex").slice(0, 8);
  return `${origin}/… (#${fingerprint})`;
}
