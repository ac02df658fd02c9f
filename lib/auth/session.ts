import { getServerSession } from "next-auth";
import { findUserById } from "@/lib/data/users";
import type { Actor } from "./actor";
import { authOptions } from "./next-auth-options";

/**
 * The signed-in person, re-read from the database so a deleted account loses access at once
 * even while its session cookie is still valid. Null when signed out or the session expired.
 */
export async function getSessionActor(): Promise<Extract<Actor, { type: "user" }> | null> {
  const session = await getServerSession(authOptions);
  const userId = session?.user?.id;
  if (!userId) return null;
  const user = await findUserById(userId);
  return user ? { type: "user", userId: user.id, email: user.email, name: user.name } : null;
}
