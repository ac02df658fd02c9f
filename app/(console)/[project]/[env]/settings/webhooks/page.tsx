import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { can } from "@/lib/auth/permissions";
import { listWebhooksJson } from "@/lib/notifications/manage-webhooks";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { WebhooksPanel } from "./webhooks-panel";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage({ params }: { params: Promise<{ project: string; env: string }> }) {
  const { project: projectKey, env } = await params;
  const { actor, project, role } = await loadEnvironmentForPage(projectKey, env);
  const webhooks = await listWebhooksJson({ actor, project, role });
  return (
    <section>
      <PageHeader
        title="Webhooks"
        description={
          <>
            Switchyard POSTs the project&apos;s events (change requests, kill switches, rollouts, expiring flags) to these URLs, signed with HMAC-SHA256 in{" "}
            <code>X-Switchyard-Signature</code>, retried with backoff for about an hour. See <code>docs/webhooks.md</code> for payloads and verification.
          </>
        }
      />
      <WebhooksPanel projectKey={project.key} editable={can(role, "webhooks:write")} webhooks={webhooks} />
    </section>
  );
}
