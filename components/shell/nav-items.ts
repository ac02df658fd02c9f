/** The console's sections, in navigation order; paths are relative to /<project>/<env>/. */
export const NAV_ITEMS = [
  { segment: "flags", label: "Flags" },
  { segment: "segments", label: "Segments" },
  { segment: "change-requests", label: "Change requests" },
  { segment: "rollouts", label: "Rollouts" },
  { segment: "dashboards", label: "Dashboards" },
  { segment: "audit", label: "Audit log" },
  { segment: "settings", label: "Settings" },
] as const;
