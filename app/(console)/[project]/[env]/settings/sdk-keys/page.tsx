import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/page-header";
import { can } from "@/lib/auth/permissions";
import { listSdkKeysJson } from "@/lib/sdk-keys/manage-sdk-keys";
import { loadEnvironmentForPage } from "@/lib/projects/load-project-for-page";
import { SdkKeysPanel } from "./sdk-keys-panel";

export const metadata: Metadata = { title: "SDK keys" };

export default async function SdkKeysPage({ params }: { params: Promise<{ project: string; env: string }> }) {
  const { project: projectKey, env } = await params;
  const { actor, project, role, environment } = await loadEnvironmentForPage(projectKey, env);
  const keys = await listSdkKeysJson({ actor, project, role }, environment.key);
  return (
    <section>
      <PageHeader
        title={`SDK keys · ${environment.name}`}
        description={
          <>
            Applications authenticate with these to evaluate flags (OFREP at <code>/ofrep/v1</code>, or the local-evaluation SDK). Server keys evaluate
            every flag; client keys only see client-visible flags and never rules or segment members.
          </>
        }
      />
      <SdkKeysPanel projectKey={project.key} environmentKey={environment.key} editable={can(role, "sdkkeys:write")} keys={keys} />
    </section>
  );
}
