/**
 * Process-wide counters for `GET /api/metrics` (Prometheus text format). Recorded beside the
 * code that does the work, never inside the engine.
 */
type Labels = Record<string, string>;

class Counter {
  private readonly values = new Map<string, number>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(labels: Labels = {}, by = 1) {
    const key = JSON.stringify(labels);
    this.values.set(key, (this.values.get(key) ?? 0) + by);
  }

  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    if (this.values.size === 0) lines.push(`${this.name} 0`);
    for (const [key, value] of this.values) lines.push(`${this.name}${formatLabels(JSON.parse(key))} ${value}`);
    return lines.join("\n");
  }
}

function formatLabels(labels: Labels): string {
  const entries = Object.entries(labels);
  if (entries.length === 0) return "";
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/["\\\n]/g, "_")}"`).join(",")}}`;
}

function createMetrics() {
  return {
    evaluations: new Counter("switchyard_evaluations_total", "Flag evaluations served over OFREP, by endpoint and OFREP reason."),
    evaluationErrors: new Counter("switchyard_evaluation_errors_total", "OFREP evaluations that answered an error, by error code."),
    requestsRejected: new Counter("switchyard_ofrep_rejected_total", "OFREP requests refused before evaluation, by status."),
    eventsAccepted: new Counter("switchyard_events_accepted_total", "Events accepted and stored by the ingestion endpoint."),
    eventsRejected: new Counter("switchyard_events_rejected_total", "Event batches rejected, by reason."),
  };
}

const metricsKey = Symbol.for("switchyard.metrics");

export function getMetrics(): ReturnType<typeof createMetrics> {
  const g = globalThis as { [metricsKey]?: ReturnType<typeof createMetrics> };
  g[metricsKey] ??= createMetrics();
  return g[metricsKey];
}

export function renderCounters(): string {
  return Object.values(getMetrics())
    .map((counter) => counter.render())
    .join("\n");
}
