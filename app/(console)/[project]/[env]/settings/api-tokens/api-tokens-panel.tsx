"use client";

import { useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";
import { useAction } from "@/components/ui/use-action";
import { ROLES } from "@/lib/auth/permissions";
import { createApiTokenAction, revokeApiTokenAction } from "./actions";

interface TokenRow {
  id: string;
  name: string;
  prefix: string;
  owner: string;
  createdAt: string;
  lastUsedAt: string | null;
  status: "active" | "revoked" | "expired";
}

const STATUS_TONE = { active: "green", revoked: "red", expired: "amber" } as const;

export function ApiTokensPanel({ projectKey, tokens }: { projectKey: string; tokens: TokenRow[] }) {
  const create = useAction(createApiTokenAction);
  const revoke = useAction(revokeApiTokenAction);
  const [kind, setKind] = useState<"personal" | "service">("service");
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = String(form.get("expiresInDays") ?? "");
    create.run(
      { projectKey, kind, name: form.get("name"), role: kind === "service" ? form.get("role") : undefined, expiresInDays: days ? Number(days) : null },
      (token) => setCreated({ name: token.name, secret: token.secret }),
    );
  }

  return (
    <div className="space-y-6">
      {created ? <SecretShownOnce what="Token" name={created.name} secret={created.secret} testId="new-token-secret" /> : null}
      <form onSubmit={onCreate} aria-label="Create an API token" className="flex flex-wrap items-end gap-3 rounded-md border border-slate-200 p-4 dark:border-slate-800">
        <TextField label="Token name" name="name" required error={create.error?.fieldErrors?.name} />
        <SelectField label="Kind" name="kind" value={kind} onChange={(event) => setKind(event.target.value as "personal" | "service")}>
          <option value="service">Service token (own role)</option>
          <option value="personal">Personal token (acts as me)</option>
        </SelectField>
        {kind === "service" ? (
          <SelectField label="Role" name="role" defaultValue="editor" error={create.error?.fieldErrors?.role}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </SelectField>
        ) : null}
        <TextField label="Expires in (days)" name="expiresInDays" type="number" min={1} max={3650} placeholder="never" error={create.error?.fieldErrors?.expiresInDays} />
        <Button type="submit" disabled={create.pending}>
          Create token
        </Button>
        <FormError error={create.error} className="w-full" />
      </form>
      {revoke.error ? <Notice tone="error">{revoke.error.message}</Notice> : null}
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
          <tr>
            <th className="py-2 pr-4 font-medium">Name</th>
            <th className="py-2 pr-4 font-medium">Token</th>
            <th className="py-2 pr-4 font-medium">Owner / role</th>
            <th className="py-2 pr-4 font-medium">Last used</th>
            <th className="py-2 pr-4 font-medium">Status</th>
            <th className="py-2"><span className="sr-only">Actions</span></th>
          </tr>
        </thead>
        <tbody>
          {tokens.length === 0 ? (
            <tr>
              <td colSpan={6} className="py-4 text-slate-500">
                No API tokens yet.
              </td>
            </tr>
          ) : null}
          {tokens.map((token) => (
            <tr key={token.id} className="border-b border-slate-100 dark:border-slate-900">
              <td className="py-2 pr-4 font-medium">{token.name}</td>
              <td className="py-2 pr-4"><code>{token.prefix}…</code></td>
              <td className="py-2 pr-4">{token.owner}</td>
              <td className="py-2 pr-4">{token.lastUsedAt ? new Date(token.lastUsedAt).toLocaleString() : "never"}</td>
              <td className="py-2 pr-4"><Badge tone={STATUS_TONE[token.status]}>{token.status}</Badge></td>
              <td className="py-2 text-right">
                {token.status === "active" ? (
                  <Button
                    variant="ghost"
                    aria-label={`Revoke ${token.name}`}
                    disabled={revoke.pending}
                    onClick={() => confirm(`Revoke “${token.name}”? Anything using it stops working at once.`) && revoke.run({ projectKey, tokenId: token.id })}
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
