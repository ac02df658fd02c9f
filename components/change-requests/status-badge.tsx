import { Badge } from "@/components/ui/badge";

const TONE = {
  draft: "neutral",
  open: "indigo",
  changes_requested: "amber",
  approved: "green",
  scheduled: "indigo",
  applied: "green",
  conflicted: "red",
  cancelled: "neutral",
} as const;

export const STATUS_LABELS: Record<keyof typeof TONE, string> = {
  draft: "Draft",
  open: "Open",
  changes_requested: "Changes requested",
  approved: "Approved",
  scheduled: "Scheduled",
  applied: "Applied",
  conflicted: "Conflicted",
  cancelled: "Cancelled",
};

export function ChangeRequestStatusBadge({ status }: { status: keyof typeof TONE }) {
  return <Badge tone={TONE[status]}>{STATUS_LABELS[status]}</Badge>;
}
