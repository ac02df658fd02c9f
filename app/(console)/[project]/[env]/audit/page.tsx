import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";

export const metadata: Metadata = { title: "Audit log" };

export default function Page() {
  return <NotBuiltYet title="Audit log" what="The append-only, hash-chained record of every change, with filters and export." />;
}
