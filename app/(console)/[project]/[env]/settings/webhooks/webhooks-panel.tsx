"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/notice";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";
import { useAction } from "@/components/ui/use-action";
import { PROJECT_EVENT_LABELS, type ProjectEventType } from "@/lib/notifications/project-events";
import { createWebhookAction, deleteWebhookAction, redeliverWebhookAction, rotateWebhookSecretAction, sendTestWebhookAction, updateWebhookAction } from "./actions";
import { DeliveryLog, deliveriesKey } from "./delivery-log";
import { WebhookForm, type WebhookFields } from "./webhook-form";

export interface WebhookItem extends WebhookFields {
  id: string;
}

export function WebhooksPanel({ projectKey, editable, webhooks }: { projectKey: string; editable: boolean; webhooks: WebhookItem[] }) {
  const create = useAction(createWebhookAction);
  const [secret, setSecret] = useState<{ name: string; secret: string } | null>(null);
  const [creating, setCreating] = useState(false);

  return (
    <div className="space-y-6">
      {secret ? <SecretShownOnce what="Signing secret of" name={secret.name} secret={secret.secret} testId="webhook-secret" /> : null}
      {!editable ? <Notice>Only project admins can add, change or test webhooks.</Notice> : null}
      {editable && !creating ? <Button onClick={() => setCreating(true)}>Add webhook</Button> : null}
      {editable && creating ? (
        <WebhookForm
          label="Add a webhook"
          submitLabel="Create webhook"
          pending={create.pending}
          error={create.error}
          onCancel={() => setCreating(false)}
          onSubmit={(fields) =>
            create.run({ projectKey, ...fields }, (created) => {
              setSecret({ name: created.name, secret: created.secret });
              setCreating(false);
            })
          }
        />
      ) : null}
      {webhooks.length === 0 ? <p className="text-sm text-slate-500">No webhooks yet.</p> : null}
      {webhooks.map((webhook) => (
        <WebhookCard key={webhook.id} projectKey={projectKey} webhook={webhook} editable={editable} onSecret={(s) => setSecret({ name: webhook.name, secret: s })} />
      ))}
    </div>
  );
}

function WebhookCard({ projectKey, webhook, editable, onSecret }: { projectKey: string; webhook: WebhookItem; editable: boolean; onSecret: (secret: string) => void }) {
  const queryClient = useQueryClient();
  const update = useAction(updateWebhookAction);
  const remove = useAction(deleteWebhookAction);
  const rotate = useAction(rotateWebhookSecretAction);
  const test = useAction(sendTestWebhookAction);
  const redeliver = useAction(redeliverWebhookAction);
  const [editing, setEditing] = useState(false);
  const [showLog, setShowLog] = useState(false);
  const [lastTest, setLastTest] = useState<string | null>(null);
  const ref = { projectKey, webhookId: webhook.id };
  const refreshLog = () => {
    setShowLog(true);
    void queryClient.invalidateQueries({ queryKey: deliveriesKey(projectKey, webhook.id) });
  };
  const error = remove.error ?? rotate.error ?? test.error ?? redeliver.error;

  return (
    <article aria-label={`Webhook ${webhook.name}`} className="space-y-3 rounded-md border border-slate-200 p-4 dark:border-slate-800">
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div>
          <h2 className="font-medium">
            {webhook.name} {webhook.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>} <Badge tone="indigo">{webhook.format}</Badge>
          </h2>
          <p className="text-sm break-all text-slate-600 dark:text-slate-400">{webhook.url}</p>
          <p className="mt-1 text-xs text-slate-500">
            {webhook.events.map((e) => PROJECT_EVENT_LABELS[e as ProjectEventType] ?? e).join(" · ")} — timeout {webhook.timeoutMs} ms, up to {webhook.maxAttempts} attempts
          </p>
        </div>
        <div className="flex flex-wrap gap-1">
          {editable ? (
            <>
              <Button
                variant="secondary"
                disabled={test.pending || !webhook.enabled}
                onClick={() =>
                  test.run(ref, (result) => {
                    setLastTest(result.status === "succeeded" ? `Test delivered: the receiver answered ${result.responseStatus}.` : `Test failed: ${result.error}`);
                    refreshLog();
                  })
                }
              >
                Send test
              </Button>
              <Button variant="ghost" onClick={() => setEditing((v) => !v)}>
                Edit
              </Button>
              <Button
                variant="ghost"
                disabled={rotate.pending}
                onClick={() => confirm(`Rotate the secret of “${webhook.name}”? The old secret stops verifying at once.`) && rotate.run(ref, (r) => onSecret(r.secret))}
              >
                Rotate secret
              </Button>
              <Button variant="ghost" disabled={remove.pending} onClick={() => confirm(`Delete “${webhook.name}” and its delivery log?`) && remove.run(ref)}>
                Delete
              </Button>
            </>
          ) : null}
          <Button variant="ghost" aria-expanded={showLog} onClick={() => setShowLog((v) => !v)}>
            {showLog ? "Hide deliveries" : "Deliveries"}
          </Button>
        </div>
      </header>
      {lastTest ? <Notice tone={lastTest.startsWith("Test delivered") ? "success" : "warning"}>{lastTest}</Notice> : null}
      {error ? <Notice tone="error">{error.message}</Notice> : null}
      {editing ? (
        <WebhookForm
          label={`Edit ${webhook.name}`}
          initial={webhook}
          submitLabel="Save changes"
          pending={update.pending}
          error={update.error}
          onCancel={() => setEditing(false)}
          onSubmit={(fields) => update.run({ ...ref, changes: fields }, () => setEditing(false))}
        />
      ) : null}
      {showLog ? (
        <DeliveryLog
          projectKey={projectKey}
          webhookId={webhook.id}
          webhookName={webhook.name}
          redelivering={redeliver.pending}
          onRedeliver={editable ? (deliveryId) => redeliver.run({ ...ref, deliveryId }, refreshLog) : undefined}
        />
      ) : null}
    </article>
  );
}
