import { getPrisma } from "@/lib/db";

export function recordSignInAttempt(email: string, ip: string, succeeded: boolean) {
  return getPrisma().signInAttempt.create({ data: { email, ip, succeeded } });
}

export async function countRecentFailures(since: Date, by: { email: string } | { ip: string }) {
  return getPrisma().signInAttempt.count({ where: { ...by, succeeded: false, createdAt: { gte: since } } });
}
