"use client";

import { useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";
import { useAction } from "@/components/ui/use-action";
import { createSdkKeyAction, revokeSdkKeyAction } from "./actions";

interface KeyRow {
  id: string;
  name: string;
  kind: "server" | "client";
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}

export function SdkKeysPanel({ projectKey, environmentKey, editable, keys }: { projectKey: string; environmentKey: string; editable: boolean; keys: KeyRow[] }) {
  const create = useAction(createSdkKeyAction);
  const revoke = useAction(revokeSdkKeyAction);
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    create.run({ projectKey, environmentKey, kind: form.get("kind"), name: form.get("name") }, (key) => setCreated({ name: key.name, key: key.key }));
  }

  return (
    <div className="space-y-6">
      {created ? <SecretShownOnce what="Key" name={created.name} secret={created.key} testId="new-sdk-key" /> : null}
      {editable ? (
        <form onSubmit={onCreate} aria-label="Create an SDK key" className="flex flex-wrap items-end gap-3 rounded-md border border-slate-200 p-4 dark:border-slate-800">
          <TextField label="Key name" name="name" required error={create.error?.fieldErrors?.name} />
          <SelectField label="Kind" name="kind" defaultValue="server" error={create.error?.fieldErrors?.kind}>
            <option value="server">Server (all flags, local evaluation)</option>
            <option value="client">Client (client-visible flags, results only)</option>
          </SelectField>
          <Button type="submit" disabled={create.pending}>
            Create key
          </Button>
          <FormError error={create.error} className="w-full" />
        </form>
      ) : (
        <Notice>Only project admins can create or revoke SDK keys.</Notice>
      )}
      {revoke.error ? <Notice tone="error">{revoke.error.message}</Notice> : null}
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
          <tr>
            <th className="py-2 pr-4 font-medium">Name</th>
            <th className="py-2 pr-4 font-medium">Kind</th>
            <th className="py-2 pr-4 font-medium">Key</th>
            <th className="py-2 pr-4 font-medium">Created</th>
            <th className="py-2 pr-4 font-medium">Status</th>
            <th className="py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {keys.length === 0 ? (
            <tr>
              <td colSpan={6} className="py-4 text-slate-500">
                No SDK keys for this environment yet.
              </td>
            </tr>
          ) : null}
          {keys.map((key) => (
            <tr key={key.id} className="border-b border-slate-100 dark:border-slate-900">
              <td className="py-2 pr-4 font-medium">{key.name}</td>
              <td className="py-2 pr-4">{key.kind}</td>
              <td className="py-2 pr-4"><code>{key.prefix}…</code></td>
              <td className="py-2 pr-4">{new Date(key.createdAt).toLocaleDateString()}</td>
              <td className="py-2 pr-4">{key.revokedAt ? <Badge tone="red">revoked</Badge> : <Badge tone="green">active</Badge>}</td>
              <td className="py-2 text-right">
                {editable && !key.revokedAt ? (
                  <Button
                    variant="ghost"
                    aria-label={`Revoke ${key.name}`}
                    disabled={revoke.pending}
                    onClick={() => confirm(`Revoke “${key.name}”? Applications using it stop getting flags within a second.`) && revoke.run({ projectKey, keyId: key.id })}
                  >
                    Revoke
                  </Button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
