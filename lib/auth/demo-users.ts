import { findUserByEmail } from "@/lib/data/users";
import { DEMO_USERS } from "@/prisma/demo-data";

// The seed owns the demo accounts; the sign-in page and the start script only show them.
export { DEMO_PASSWORD, DEMO_USERS } from "@/prisma/demo-data";

export async function demoSignInsAvailable(): Promise<boolean> {
  if (process.env.SWITCHYARD_DEMO === "0") return false;
  return Boolean(await findUserByEmail(DEMO_USERS[0].email));
}
