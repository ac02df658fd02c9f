/**
 * A second process for the lock tests (run with `node --import tsx`):
 *   hold <dataDir>   take the lock, print LOCKED, keep it until killed or stdin closes
 *   try <dataDir>    exit 0 if the lock could be taken (and release it), 3 if it is held
 *   open <dataDir>   open the embedded database the way the app does; exit 0, or 3 if locked
 */
import { acquireDataDirLock, DataDirLockedError } from "../../../lib/db/data-dir-lock";
import { openDatabase } from "../../../lib/db/open-database";

const [mode, dataDir] = process.argv.slice(2);

async function main(): Promise<number> {
  if (!mode || !dataDir) return 2;
  try {
    if (mode === "hold") {
      acquireDataDirLock(dataDir, "lock test holder");
      process.stdout.write("LOCKED\n");
      await new Promise<void>((resolve) => {
        process.stdin.on("end", resolve);
        process.stdin.on("close", resolve);
        process.stdin.resume();
      });
      return 0;
    }
    if (mode === "try") {
      acquireDataDirLock(dataDir, "lock test").release();
      return 0;
    }
    if (mode === "open") {
      const handle = openDatabase({ kind: "pglite", dataDir }, { purpose: "lock test" });
      await handle.pglite!.query("SELECT 1");
      await handle.close();
      return 0;
    }
    return 2;
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      process.stderr.write(error.message + "\n");
      return 3;
    }
    throw error;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(String(error) + "\n");
    process.exit(1);
  },
);
