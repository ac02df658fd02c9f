import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";

export const metadata: Metadata = { title: "Change requests" };

export default function Page() {
  return <NotBuiltYet title="Change requests" what="Reviewable, rule-level diffs with approvals, comments, scheduled apply and conflict detection." />;
}
