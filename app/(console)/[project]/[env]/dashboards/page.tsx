import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";

export const metadata: Metadata = { title: "Dashboards" };

export default function Page() {
  return <NotBuiltYet title="Dashboards" what="Exposures and metrics by variation and cohort over time." />;
}
