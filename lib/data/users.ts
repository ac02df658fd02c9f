import { getPrisma } from "@/lib/db";

export function findUserByEmail(email: string) {
  return getPrisma().user.findUnique({ where: { email: email.trim().toLowerCase() } });
}

export function findUserById(id: string) {
  return getPrisma().user.findUnique({ where: { id } });
}

/** People who sign in through single sign-on get an account without a password. */
export async function findOrCreateOidcUser(rawEmail: string, name: string) {
  const email = rawEmail.trim().toLowerCase();
  return getPrisma().user.upsert({ where: { email }, update: {}, create: { email, name } });
}
