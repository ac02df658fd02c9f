import { findUserByEmail } from "@/lib/data/users";
import type { Role } from "./permissions";

/** The demo accounts the seed creates (password `switchyard`), one per role. */
export const DEMO_USERS: readonly { email: string; role: Role }[] = [
  { email: "admin@example.com", role: "admin" },
  { email: "editor@example.com", role: "editor" },
  { email: "approver@example.com", role: "approver" },
  { email: "viewer@example.com", role: "viewer" },
];

export const DEMO_PASSWORD = "switchyard";

export async function demoSignInsAvailable(): Promise<boolean> {
  if (process.env.SWITCHYARD_DEMO === "0") return false;
  return Boolean(await findUserByEmail(DEMO_USERS[0].email));
}
