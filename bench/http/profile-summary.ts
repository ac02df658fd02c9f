/**
 * Where a V8 CPU profile's time went: self time by function and by origin (the app's own code,
 * each package under node_modules, Node internals, GC, idle), and the total (self + callees) of
 * functions whose name matches a filter.
 *
 *   npx tsx bench/http/profile-summary.ts <file.cpuprofile> [--top N] [--match regex]
 *     [--stacks regex] [--last S]
 *
 * Inclusive time counts each sample once per function even under recursion. `--stacks` shows the
 * call stacks (innermost first, 8 frames) that lead to self time in matching functions. `--last S`
 * keeps only the profile's last S seconds (e.g. a measured run that ended just before the server
 * stopped), leaving out start-up.
 */
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function origin(url: string, name: string): string {
  if (name === "(garbage collector)") return "(gc)";
  if (name === "(idle)") return "(idle)";
  if (name === "(program)") return "(program)";
  if (!url) return "(native / vm)";
  if (url.startsWith("node:")) return "node internals";
  const pkg = url.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
  if (pkg) {
    // Next's compiled dependencies live in next/dist/compiled/<name>.
    const compiled = url.match(/next\/dist\/compiled\/((?:@[^/]+\/)?[^/]+)/);
    if (compiled) return `next (compiled ${compiled[1]})`;
    const within = url.match(/next\/dist\/([^/]+)/);
    return pkg[1] === "next" && within ? `next/dist/${within[1]}` : pkg[1];
  }
  if (url.includes("/.next/server/")) return "app bundle (.next/server)";
  return url.replace(/^file:\/\//, "");
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const file = url.replace(/^file:\/\//, "").replace(/^.*node_modules\//, "").replace(/^.*\/\.next\//, ".next/");
  return `${functionName || "(anonymous)"} ${file}:${lineNumber + 1}`;
}

export function summarize(profile: CpuProfile, top = 30, match?: RegExp, stacks?: RegExp, lastS?: number): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const selfUs = new Map<number, number>();
  const from = lastS === undefined ? -Infinity : profile.endTime - lastS * 1e6;
  let t = profile.startTime;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t >= from) selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const totalUs = profile.endTime - Math.max(profile.startTime, from);
  const stackTimes = new Map<string, number>();

  const bySelf = new Map<string, number>();
  const byOrigin = new Map<string, number>();
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    bySelf.set(label(node), (bySelf.get(label(node)) ?? 0) + us);
    const o = origin(node.callFrame.url, node.callFrame.functionName);
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + us);
    if (stacks && stacks.test(label(node))) {
      const frames: string[] = [];
      for (let cur: number | undefined = id; cur !== undefined && frames.length < 16; cur = parent.get(cur)) frames.push(label(byId.get(cur)!));
      const key = frames.join("\n      ← ");
      stackTimes.set(key, (stackTimes.get(key) ?? 0) + us);
    }
    if (match) {
      const seen = new Set<string>();
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
        const l = label(byId.get(cur)!);
        if (match.test(l) && !seen.has(l)) {
          seen.add(l);
          inclusive.set(l, (inclusive.get(l) ?? 0) + us);
        }
      }
    }
  }
  const idle = byOrigin.get("(idle)") ?? 0;
  const busy = totalUs - idle;
  const pct = (us: number) => `${((100 * us) / busy).toFixed(1).padStart(5)} %`;
  const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
  const lines: string[] = [];
  lines.push(`profile ${(totalUs / 1e6).toFixed(1)} s, busy ${(busy / 1e6).toFixed(1)} s (idle excluded from the shares below)`);
  lines.push("\nself time by origin:");
  for (const [o, us] of [...byOrigin].filter(([o]) => o !== "(idle)").sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${ms(us)} ${pct(us)}  ${o}`);
  lines.push("\nself time by function:");
  for (const [l, us] of [...bySelf].filter(([l]) => !l.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${ms(us)} ${pct(us)}  ${l}`);
  if (match) {
    lines.push(`\ninclusive time of functions matching ${match}:`);
    for (const [l, us] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) lines.push(`${ms(us)} ${pct(us)}  ${l}`);
  }
  if (stacks) {
    lines.push(`\nstacks into functions matching ${stacks}:`);
    for (const [key, us] of [...stackTimes].sort((a, b) => b[1] - a[1]).slice(0, Math.min(top, 12))) lines.push(`${ms(us)} ${pct(us)}  ${key}`);
  }
  return lines.join("\n");
}

if (process.argv[1]?.endsWith("profile-summary.ts")) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: tsx bench/http/profile-summary.ts <file.cpuprofile> [--top N] [--match regex]");
    process.exit(2);
  }
  const arg = (name: string) => {
    const at = process.argv.indexOf(`--${name}`);
    return at > 0 ? process.argv[at + 1] : undefined;
  };
  const regex = (name: string) => (arg(name) === undefined ? undefined : new RegExp(arg(name)!));
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  const last = arg("last");
  console.log(summarize(profile, Number(arg("top") ?? 30), regex("match"), regex("stacks"), last === undefined ? undefined : Number(last)));
}
