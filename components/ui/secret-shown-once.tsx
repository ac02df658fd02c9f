import { Notice } from "./notice";

/** A newly created secret (API token, SDK key): displayed this one time, never stored in clear. */
export function SecretShownOnce({ what, name, secret, testId }: { what: string; name: string; secret: string; testId: string }) {
  return (
    <Notice tone="success" title={`${what} “${name}” created — copy it now, it will not be shown again`}>
      <code data-testid={testId} className="mt-1 block break-all rounded bg-white/60 p-2 dark:bg-black/30">
        {secret}
      </code>
    </Notice>
  );
}
