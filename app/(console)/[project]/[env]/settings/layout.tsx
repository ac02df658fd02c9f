import type { ReactNode } from "react";
import { SettingsTabs } from "./settings-tabs";

export default async function SettingsLayout({ children, params }: { children: ReactNode; params: Promise<{ project: string; env: string }> }) {
  const { project, env } = await params;
  return (
    <div>
      <SettingsTabs base={`/${project}/${env}/settings`} />
      {children}
    </div>
  );
}
