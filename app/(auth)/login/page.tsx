import { redirect } from "next/navigation";
import { getSessionActor } from "@/lib/auth/session";
import { isOidcConfigured } from "@/lib/auth/next-auth-options";
import { demoSignInsAvailable, DEMO_USERS } from "@/lib/auth/demo-users";
import { LoginForm } from "./login-form";

export const dynamic = "force-dynamic";

const ERRORS: Record<string, string> = {
  OidcNoEmail: "Your single sign-on account has no email address; ask your administrator.",
  OAuthSignin: "Single sign-on could not start. Try again or use your password.",
  OAuthCallback: "Single sign-on did not complete. Try again.",
  SessionRequired: "Your session has expired. Sign in again.",
};

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string; error?: string }> }) {
  const { callbackUrl, error } = await searchParams;
  const safeCallback = callbackUrl?.startsWith("/") && !callbackUrl.startsWith("//") ? callbackUrl : "/";
  if (await getSessionActor()) redirect(safeCallback);
  const showDemo = await demoSignInsAvailable();
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4 dark:bg-slate-950">
      <div className="w-full max-w-sm">
        <h1 className="mb-1 text-2xl font-semibold">Sign in to Switchyard</h1>
        <p className="mb-6 text-sm text-slate-600 dark:text-slate-400">Feature-flag targeting, reviewed and rolled out safely.</p>
        <LoginForm callbackUrl={safeCallback} initialError={error ? (ERRORS[error] ?? "Sign-in failed. Try again.") : undefined} oidc={isOidcConfigured()} />
        {showDemo ? (
          <div className="mt-6 rounded-md border border-slate-200 p-3 text-xs text-slate-600 dark:border-slate-800 dark:text-slate-400">
            <p className="font-medium">Demo accounts (password <code>switchyard</code>):</p>
            <ul className="mt-1 space-y-0.5">
              {DEMO_USERS.map((user) => (
                <li key={user.email}>
                  <code>{user.email}</code> — {user.role}
                </li>
              ))}
            </ul>
          </div>
        ) : null}
      </div>
    </main>
  );
}
