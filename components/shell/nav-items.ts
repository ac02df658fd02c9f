/**
 * The console's sections, in navigation order; paths are relative to /<project>/<env>/. `badge`
 * names a count from GET /api/console/projects/<project>/nav-badges shown beside the item.
 */
export const NAV_ITEMS: readonly { segment: string; label: string; badge?: NavBadge }[] = [
  { segment: "flags", label: "Flags" },
  { segment: "segments", label: "Segments" },
  { segment: "change-requests", label: "Change requests", badge: "changeRequests" },
  { segment: "incidents", label: "Incidents", badge: "incidents" },
  { segment: "rollouts", label: "Rollouts" },
  { segment: "dashboards", label: "Dashboards" },
  { segment: "audit", label: "Audit log" },
  { segment: "settings", label: "Settings" },
];

/** The counts the navigation shows; `incidents`: kill switches awaiting their follow-up review; `changeRequests`: requests awaiting the viewer's review. */
export type NavBadge = "incidents" | "changeRequests";

export const NAV_BADGE_LABELS: Record<NavBadge, (count: number) => string> = {
  incidents: (count) => `${count} override${count === 1 ? "" : "s"} awaiting follow-up review`,
  changeRequests: (count) => `${count} change request${count === 1 ? "" : "s"} awaiting your review`,
};
