import type { NextAuthOptions } from "next-auth";
import type { OAuthConfig } from "next-auth/providers/oauth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { findOrCreateOidcUser } from "@/lib/data/users";
import { verifyCredentials } from "./verify-credentials";

const credentialsSchema = z.object({
  email: z.string().trim().min(1, "Enter your email.").max(320),
  password: z.string().min(1, "Enter your password.").max(1000),
});

/** Sessions last a working day; an expired one sends the person back to sign in. */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

function clientIp(headers: Record<string, unknown> | undefined): string {
  const forwarded = headers?.["x-forwarded-for"];
  const first = typeof forwarded === "string" ? forwarded.split(",")[0]?.trim() : undefined;
  const real = headers?.["x-real-ip"];
  return first || (typeof real === "string" ? real : "") || "unknown";
}

interface OidcProfile {
  sub: string;
  email?: string;
  name?: string;
  preferred_username?: string;
}

/** Optional single sign-on: any OpenID Connect issuer, configured by environment variables. */
function oidcProvider(): OAuthConfig<OidcProfile> | null {
  const issuer = process.env.SWITCHYARD_OIDC_ISSUER;
  const clientId = process.env.SWITCHYARD_OIDC_CLIENT_ID;
  const clientSecret = process.env.SWITCHYARD_OIDC_CLIENT_SECRET;
  if (!issuer || !clientId || !clientSecret) return null;
  return {
    id: "oidc",
    name: process.env.SWITCHYARD_OIDC_NAME ?? "Single sign-on",
    type: "oauth",
    wellKnown: `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
    clientId,
    clientSecret,
    idToken: true,
    checks: ["pkce", "state"],
    authorization: { params: { scope: "openid email profile" } },
    profile: (profile) => ({
      id: profile.sub,
      email: profile.email ?? null,
      name: profile.name ?? profile.preferred_username ?? profile.email ?? profile.sub,
    }),
  };
}

export function isOidcConfigured(): boolean {
  return oidcProvider() !== null;
}

export const authOptions: NextAuthOptions = {
  secret: process.env.NEXTAUTH_SECRET,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login" },
  providers: [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      async authorize(credentials, req) {
        const parsed = credentialsSchema.safeParse(credentials ?? {});
        if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "Enter your email and password.");
        const result = await verifyCredentials(parsed.data.email, parsed.data.password, clientIp(req?.headers));
        if (!result.ok) throw new Error(result.message);
        return result.user;
      },
    }),
    ...(oidcProvider() ? [oidcProvider()!] : []),
  ],
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== "oidc") return true;
      if (!user.email) return "/login?error=OidcNoEmail";
      const local = await findOrCreateOidcUser(user.email, user.name ?? user.email);
      user.id = local.id;
      return true;
    },
    async jwt({ token, user }) {
      // For OIDC, signIn above replaced `user.id` with the local account's id.
      if (user) token.uid = user.id;
      return token;
    },
    async session({ session, token }) {
      if (session.user && typeof token.uid === "string") session.user.id = token.uid;
      return session;
    },
  },
};
