"use client";

import { useRouter } from "next/navigation";

// Not a valid project key (keys are lowercase slugs), so it cannot collide with one.
const NEW_PROJECT = "__new__";

export function ProjectSwitcher({ current, projects }: { current: string; projects: { key: string; name: string }[] }) {
  const router = useRouter();
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-slate-500">Project</span>
      <select
        value={current}
        onChange={(event) => router.push(event.target.value === NEW_PROJECT ? "/projects/new" : `/${event.target.value}`)}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900"
      >
        {projects.map((project) => (
          <option key={project.key} value={project.key}>
            {project.name}
          </option>
        ))}
        <option value={NEW_PROJECT}>New project…</option>
      </select>
    </label>
  );
}
