import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";

export const metadata: Metadata = { title: "Rollouts" };

export default function Page() {
  return <NotBuiltYet title="Rollouts" what="Progressive rollout plans with stages and guardrail metrics that halt or roll back automatically." />;
}
