import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { getSessionActor } from "@/lib/auth/session";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  // The proxy already redirects signed-out visitors; this also covers deleted accounts and
  // sessions that expired between the proxy and here.
  if (!(await getSessionActor())) redirect("/login");
  return children;
}
