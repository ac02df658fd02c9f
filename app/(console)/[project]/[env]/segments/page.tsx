import type { Metadata } from "next";
import { NotBuiltYet } from "@/components/shell/not-built-yet";

export const metadata: Metadata = { title: "Segments" };

export default function Page() {
  return <NotBuiltYet title="Segments" what="Reusable cohorts (included and excluded keys, rules) with impact previews." />;
}
