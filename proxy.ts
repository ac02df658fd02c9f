import { withAuth } from "next-auth/middleware";

/**
 * Sends signed-out visitors of console pages to the sign-in page. This is a convenience, not
 * the authorisation check: every page, action and route checks the role itself.
 */
export default withAuth({ pages: { signIn: "/login" } });

export const config = {
  // API routes answer 401 themselves; OFREP and SDK routes use SDK keys.
  matcher: ["/((?!api/|ofrep/|login|_next/|favicon.ico|.*\\.(?:svg|png|ico|css|js|woff2?)$).*)"],
};
