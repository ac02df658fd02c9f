"use client";

import { useQuery } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";

export interface DeliveryRow {
  id: string;
  event: string;
  status: "pending" | "succeeded" | "failed";
  attempts: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  responseStatus: number | null;
  error: string | null;
  durationMs: number | null;
  createdAt: string;
}

export const deliveriesKey = (project: string, webhookId: string) => ["projects", project, "webhooks", webhookId, "deliveries"] as const;

async function fetchDeliveries(project: string, webhookId: string): Promise<DeliveryRow[]> {
  const response = await fetch(`/api/console/projects/${encodeURIComponent(project)}/webhooks/${encodeURIComponent(webhookId)}/deliveries`, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error?.message ?? `Loading the delivery log failed (${response.status}).`);
  return body.deliveries;
}

const STATUS_TONE = { succeeded: "green", failed: "red", pending: "amber" } as const;

/** The newest deliveries of one webhook; failed ones can be sent again. Refreshes while some are pending. */
export function DeliveryLog({ projectKey, webhookId, webhookName, onRedeliver, redelivering }: { projectKey: string; webhookId: string; webhookName: string; onRedeliver?: (deliveryId: string) => void; redelivering: boolean }) {
  const deliveries = useQuery({
    queryKey: deliveriesKey(projectKey, webhookId),
    queryFn: () => fetchDeliveries(projectKey, webhookId),
    // Opening the log shows what the worker sent since, not the copy from the last opening.
    refetchOnMount: "always",
    refetchInterval: (query) => (query.state.data?.some((d) => d.status === "pending") ? 3000 : false),
  });
  if (deliveries.isPending) return <p className="text-sm text-slate-500">Loading deliveries…</p>;
  if (deliveries.isError) return <Notice tone="error">{deliveries.error.message}</Notice>;
  return (
    <table className="w-full text-left text-sm" aria-label={`Deliveries of ${webhookName}`}>
      <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
        <tr>
          <th className="py-1 pr-3 font-medium">Time</th>
          <th className="py-1 pr-3 font-medium">Event</th>
          <th className="py-1 pr-3 font-medium">Status</th>
          <th className="py-1 pr-3 font-medium">Code</th>
          <th className="py-1 pr-3 font-medium">Attempts</th>
          <th className="py-1 pr-3 font-medium">Error</th>
          <th className="py-1"><span className="sr-only">Actions</span></th>
        </tr>
      </thead>
      <tbody>
        {deliveries.data.length === 0 ? (
          <tr>
            <td colSpan={7} className="py-3 text-slate-500">
              Nothing sent yet. Use “Send test” to try the URL.
            </td>
          </tr>
        ) : null}
        {deliveries.data.map((d) => (
          <tr key={d.id} className="border-b border-slate-100 align-top dark:border-slate-900">
            <td className="py-1 pr-3 whitespace-nowrap">{new Date(d.lastAttemptAt ?? d.createdAt).toLocaleString()}</td>
            <td className="py-1 pr-3"><code>{d.event}</code></td>
            <td className="py-1 pr-3">
              <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>
              {d.status === "pending" && d.nextAttemptAt ? <span className="ml-1 text-xs text-slate-500">next {new Date(d.nextAttemptAt).toLocaleTimeString()}</span> : null}
            </td>
            <td className="py-1 pr-3">{d.responseStatus ?? "—"}</td>
            <td className="py-1 pr-3">{d.attempts}</td>
            <td className="max-w-xs py-1 pr-3 break-words text-slate-600 dark:text-slate-400">{d.error ?? ""}</td>
            <td className="py-1 text-right">
              {onRedeliver && d.status === "failed" ? (
                <Button variant="ghost" disabled={redelivering} onClick={() => onRedeliver(d.id)}>
                  Redeliver
                </Button>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
