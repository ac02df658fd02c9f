import type { ProjectEvent } from "./project-events";

/** The outbox row's payload: the event as published, with the time it happened. */
export type StoredEvent = ProjectEvent & { occurredAt: string };

export type WebhookFormat = "json" | "slack";

/** Console links in payloads are absolute, from the public base URL the server runs at. */
export function consoleBaseUrl(env: Record<string, string | undefined> = process.env): string {
  return (env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

/**
 * The request body for one delivery. `json` is the event for programs (the delivery id repeats the
 * `X-Switchyard-Delivery` header); `slack` is a Slack incoming-webhook message (`text` + `blocks`),
 * which Mattermost, Rocket.Chat and Teams' Slack-compatible endpoints also accept.
 */
export function renderWebhookBody(format: WebhookFormat, deliveryId: string, event: StoredEvent, baseUrl = consoleBaseUrl()): string {
  const url = event.link ? baseUrl + event.link : null;
  if (format === "slack") return JSON.stringify(slackMessage(event, url));
  return JSON.stringify({
    id: deliveryId,
    type: event.type,
    occurredAt: event.occurredAt,
    projectId: event.projectId,
    environmentKey: event.environmentKey ?? null,
    title: event.title,
    summary: event.summary,
    url,
    actor: event.actorLabel,
    data: event.data,
  });
}

/** Slack's mrkdwn treats &, < and > specially. */
function escapeSlack(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

function slackMessage(event: StoredEvent, url: string | null) {
  const title = escapeSlack(event.title);
  const sentence = `${title} — by ${escapeSlack(event.actorLabel)}`;
  const heading = url ? `*<${url}|${title}>*` : `*${title}*`;
  const summary = event.summary ? "\n" + escapeSlack(event.summary).slice(0, 2500) : "";
  return {
    text: url ? `${sentence} (${url})` : sentence,
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: heading + summary } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: [event.type, event.environmentKey, `by ${escapeSlack(event.actorLabel)}`].filter(Boolean).join(" · ") }],
      },
    ],
  };
}
