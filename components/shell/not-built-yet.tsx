import { Notice } from "@/components/ui/notice";

/** An honest placeholder for a section whose feature has not shipped yet. */
export function NotBuiltYet({ title, what }: { title: string; what: string }) {
  return (
    <section>
      <h1 className="mb-4 text-xl font-semibold">{title}</h1>
      <Notice tone="info" title="Not built yet">
        {what} This section of Switchyard is not available in this version; nothing shown here is simulated.
      </Notice>
    </section>
  );
}
