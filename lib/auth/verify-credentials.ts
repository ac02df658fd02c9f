import bcrypt from "bcryptjs";
import { findUserByEmail } from "@/lib/data/users";
import { countRecentFailures, recordSignInAttempt } from "@/lib/data/sign-in-attempts";

/** Failed sign-ins allowed per window before the account (or the address) must wait. */
export const SIGN_IN_LIMITS = { windowMinutes: 15, perAccount: 5, perIp: 20 } as const;

// Compared against when the account does not exist, so both cases cost one bcrypt check and
// timing does not reveal which emails have accounts.
const DUMMY_HASH = "$2b$10$x61sJIRzYqtQpwDwpkkmU.5JDneIGJEvzILDsY7z9vu0B82a0dmbi";

export type CredentialCheck =
  | { ok: true; user: { id: string; email: string; name: string } }
  | { ok: false; reason: "invalid" | "rate_limited"; message: string };

export async function verifyCredentials(rawEmail: string, password: string, ip: string, now = new Date()): Promise<CredentialCheck> {
  const email = rawEmail.trim().toLowerCase();
  const since = new Date(now.getTime() - SIGN_IN_LIMITS.windowMinutes * 60_000);
  const [accountFailures, ipFailures] = await Promise.all([
    countRecentFailures(since, { email }),
    countRecentFailures(since, { ip }),
  ]);
  if (accountFailures >= SIGN_IN_LIMITS.perAccount || ipFailures >= SIGN_IN_LIMITS.perIp) {
    return {
      ok: false,
      reason: "rate_limited",
      message: `Too many failed sign-ins. Wait ${SIGN_IN_LIMITS.windowMinutes} minutes and try again.`,
    };
  }
  const user = await findUserByEmail(email);
  const matches = await bcrypt.compare(password, user?.passwordHash ?? DUMMY_HASH);
  const succeeded = Boolean(user?.passwordHash) && matches;
  await recordSignInAttempt(email, ip, succeeded);
  if (!succeeded || !user) return { ok: false, reason: "invalid", message: "Wrong email or password." };
  return { ok: true, user: { id: user.id, email: user.email, name: user.name } };
}
