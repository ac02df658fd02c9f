/**
 * Bulk-seeds audit events for the export benchmark: rows are built and hashed in JS with the
 * app's own chain code (lib/audit/hash-chain.ts, so verification passes over them) and inserted
 * a few thousand at a time with one `INSERT … SELECT FROM unnest(arrays)` per batch, straight
 * through the pool (PostgreSQL) or the embedded instance (PGlite) — one round trip per batch
 * instead of one per row.
 */
import { getDatabase, getPrisma } from "@/lib/db";
import { AUDIT_GENESIS_HASH, auditContentOf, computeAuditHash, type AuditContent } from "@/lib/audit/hash-chain";

const BATCH = 5_000;
/** One event every 30 s: 1,000,000 events span about a year. */
const STEP_MS = 30_000;
const ACTIONS = ["flag_config.updated", "flag.created", "flag.updated", "segment.updated", "change_request.opened", "change_request.approved", "change_request.applied", "kill_switch.pulled", "member.added", "api_token.created"];
const ENTITY_TYPES: Record<string, string> = { flag_config: "flag", flag: "flag", segment: "segment", change_request: "change_request", kill_switch: "flag", member: "member", api_token: "api_token" };
const PLANS = ["free", "pro", "team", "enterprise"];

export interface SeedTarget {
  projectId: string;
  environmentIds: string[];
}

function eventAt(i: number, target: SeedTarget, start: number): AuditContent {
  const action = ACTIONS[i % ACTIONS.length];
  const entityType = ENTITY_TYPES[action.split(".")[0]];
  const flagKey = `flag-${(i * 7919) % 5000}`;
  const actor = i % 20;
  const before = action === "flag_config.updated"
    ? { on: i % 2 === 0, offVariation: "off", targets: [], prerequisites: [], fallthrough: { variation: "off" }, rules: [{ id: `r${i % 9}`, clauses: [{ attribute: "plan", op: "in", values: PLANS.slice(0, 1 + (i % 3)) }], serve: { variation: "on" } }] }
    : null;
  const afterValues = PLANS.slice(0, 2 + (i % 3));
  const after = before ? { ...before, on: !before.on, rules: [{ ...before.rules[0], clauses: [{ attribute: "plan", op: "in", values: afterValues }] }] } : { key: flagKey, name: `Flag ${i}` };
  return {
    projectId: target.projectId,
    environmentId: entityType === "member" || entityType === "api_token" ? null : target.environmentIds[i % target.environmentIds.length],
    actorType: actor === 0 ? "system" : actor === 1 ? "api_token" : "user",
    actorId: actor < 2 ? null : `user-${actor}`,
    actorLabel: actor === 0 ? "system:scheduler" : actor === 1 ? "token:ci" : `user${actor}@example.test`,
    action,
    entityType,
    entityKey: entityType === "change_request" ? `CR-${i % 10_000}` : entityType === "member" ? `user${actor}@example.test` : flagKey,
    before,
    after,
    diff: before ? [{ path: "rules[0].clauses[0].values", before: before.rules[0].clauses[0].values, after: afterValues }, { path: "on", before: before.on, after: !before.on }] : null,
    reason: action === "kill_switch.pulled" ? `Incident INC-${i}: error rate above 5% after deploy` : i % 3 === 0 ? `Ticket SY-${i}` : null,
    changeRequestId: action.startsWith("change_request") ? `cr-${i % 10_000}` : null,
    requestMeta: { ip: `10.0.${actor}.${i % 250}`, userAgent: "Mozilla/5.0 (X11; Linux x86_64) Switchyard-bench", requestId: `req-${i}` },
    createdAt: new Date(start + i * STEP_MS),
  };
}

const INSERT = `
INSERT INTO audit_events ("projectId", "environmentId", "actorType", "actorId", "actorLabel", action, "entityType", "entityKey",
  before, after, diff, reason, "changeRequestId", "requestMeta", "createdAt", "prevHash", hash)
SELECT p, e, t::actor_type, ai, al, ac, et, ek, b::jsonb, a::jsonb, d::jsonb, r, cr, rm::jsonb, c::timestamptz, ph, h
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[],
  $11::text[], $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
  AS x(p, e, t, ai, al, ac, et, ek, b, a, d, r, cr, rm, c, ph, h)`;

async function run(sql: string, params: unknown[]): Promise<void> {
  const { handle } = getDatabase();
  if (handle.pool) await handle.pool.query(sql, params);
  else if (handle.pglite) await handle.pglite.query(sql, params);
  else throw new Error("no database handle to seed through");
}

const json = (value: unknown) => (value === null || value === undefined ? null : JSON.stringify(value));

/**
 * Appends events `from`…`to - 1` (numbered, so a second call continues the first) after the
 * chain's current last event. Answers the seconds spent.
 */
export async function seedAuditEvents(target: SeedTarget, from: number, to: number, start: number): Promise<number> {
  const started = performance.now();
  const last = await getPrisma().auditEvent.findFirst({ orderBy: { id: "desc" }, select: { hash: true } });
  let prevHash = last?.hash ?? AUDIT_GENESIS_HASH;
  for (let at = from; at < to; at += BATCH) {
    const columns: (string | null)[][] = Array.from({ length: 17 }, () => []);
    for (let i = at; i < Math.min(to, at + BATCH); i++) {
      const content = auditContentOf(eventAt(i, target, start));
      const hash = computeAuditHash(prevHash, content);
      const values = [content.projectId, content.environmentId, content.actorType, content.actorId, content.actorLabel, content.action, content.entityType, content.entityKey,
        json(content.before), json(content.after), json(content.diff), content.reason, content.changeRequestId, json(content.requestMeta), content.createdAt as string, prevHash, hash];
      values.forEach((value, c) => columns[c].push(value));
      prevHash = hash;
    }
    await run(INSERT, columns);
  }
  // What autovacuum would have done by then: statistics, and the visibility map index-only scans need.
  await run("VACUUM ANALYZE audit_events", []);
  return (performance.now() - started) / 1000;
}
