"use client";

import { useState, type FormEvent } from "react";
import { FormError } from "@/components/ui/form-error";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { Notice } from "@/components/ui/notice";
import { useAction } from "@/components/ui/use-action";
import { ROLE_LABELS, ROLES, type Role } from "@/lib/auth/permissions";
import { addMemberAction, changeMemberRoleAction, removeMemberAction } from "./actions";

interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
}

export function MembersTable({ projectKey, editable, currentUserId, members }: { projectKey: string; editable: boolean; currentUserId: string; members: Member[] }) {
  const add = useAction(addMemberAction);
  const change = useAction(changeMemberRoleAction);
  const remove = useAction(removeMemberAction);
  const [formKey, setFormKey] = useState(0);
  const [saved, setSaved] = useState<string | null>(null);
  const rowError = change.error ?? remove.error;

  function onAdd(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    add.run({ projectKey, email: form.get("email"), role: form.get("role") }, () => setFormKey((k) => k + 1));
  }

  return (
    <div className="space-y-6">
      {rowError ? <Notice tone="error">{rowError.message}</Notice> : null}
      {saved && !rowError ? <Notice tone="success">{saved}</Notice> : null}
      <table className="w-full text-left text-sm">
        <thead className="border-b border-slate-200 text-slate-500 dark:border-slate-800">
          <tr>
            <th className="py-2 pr-4 font-medium">Person</th>
            <th className="py-2 pr-4 font-medium">Role</th>
            {editable ? <th className="py-2 font-medium"><span className="sr-only">Actions</span></th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((member) => (
            <tr key={member.userId} className="border-b border-slate-100 dark:border-slate-900">
              <td className="py-2 pr-4">
                <div className="font-medium">{member.name}</div>
                <div className="text-xs text-slate-500">{member.email}</div>
              </td>
              <td className="py-2 pr-4">
                {editable ? (
                  <select
                    aria-label={`Role of ${member.email}`}
                    value={member.role}
                    disabled={change.pending}
                    onChange={(event) => {
                      const role = event.target.value;
                      setSaved(null);
                      remove.clearError();
                      change.run({ projectKey, userId: member.userId, role }, () => setSaved(`${member.email} is now ${role}.`));
                    }}
                    className="rounded-md border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
                  >
                    {ROLES.map((role) => (
                      <option key={role} value={role}>
                        {role}
                      </option>
                    ))}
                  </select>
                ) : (
                  member.role
                )}
              </td>
              {editable ? (
                <td className="py-2 text-right">
                  <Button
                    variant="ghost"
                    disabled={remove.pending}
                    aria-label={`Remove ${member.email}`}
                    onClick={() => {
                      const self = member.userId === currentUserId ? " You will lose access to this project." : "";
                      if (confirm(`Remove ${member.email} from this project?${self}`)) remove.run({ projectKey, userId: member.userId });
                    }}
                  >
                    Remove
                  </Button>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
      {editable ? (
        <form key={formKey} onSubmit={onAdd} aria-label="Add a member" className="flex flex-wrap items-end gap-3 rounded-md border border-slate-200 p-4 dark:border-slate-800">
          <TextField className="min-w-64 flex-1" label="Email" name="email" type="email" required error={add.error?.fieldErrors?.email} />
          <SelectField label="Role" name="role" defaultValue="viewer" error={add.error?.fieldErrors?.role}>
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </SelectField>
          <Button type="submit" disabled={add.pending}>
            Add member
          </Button>
          <FormError error={add.error} className="w-full" />
        </form>
      ) : null}
    </div>
  );
}
