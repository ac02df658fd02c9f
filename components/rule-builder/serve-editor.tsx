"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import type { CatalogAttribute, Rollout, Serve, Variation } from "@/lib/evaluation/types";
import { isRollout } from "./config-model";
import { fieldDomId, type IssueIndex } from "./issue-paths";
import { PercentInput } from "./value-inputs";
import { addWeight, removeWeight, setWeight, sumWeights, TOTAL, unitsToPercent } from "./weights";

const SELECT =
  "rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500";

const variationLabel = (variations: Variation[], key: string) => {
  const v = variations.find((x) => x.key === key);
  return v?.name && v.name !== key ? `${key} (${v.name})` : key;
};

/** Attributes a rollout may bucket by: stable identifiers, so strings and numbers. */
function bucketAttributes(catalog: CatalogAttribute[]) {
  return catalog.filter((a) => a.sensitivity !== "forbidden" && (a.type === "string" || a.type === "number")).sort((a, b) => a.key.localeCompare(b.key));
}

/**
 * What a rule (or the default rule) serves: one variation, or a percentage rollout with a slider
 * and a typed percentage per variation. With "keep the total at 100 %" on (the default), changing
 * one share adjusts the last other one; off, the shares are taken as typed and validation says
 * when they do not add up.
 */
export function ServeEditor(props: {
  serve: Serve;
  /** Field key prefix: `rules.0.serve` or `fallthrough`. */
  path: string;
  /** Accessible name of the group, e.g. "Rule 1 serves". */
  label: string;
  variations: Variation[];
  catalog: CatalogAttribute[];
  issues: IssueIndex;
  onChange: (serve: Serve) => void;
}) {
  const { serve, path, variations, issues } = props;
  const [balance, setBalance] = useState(true);
  const radioName = useId();
  const rollout = isRollout(serve) ? serve.rollout : null;
  const variationKey = `${path}.variation`;
  const weightsKey = `${path}.rollout.weights`;
  const weightsError = issues.messageAt(weightsKey);
  const variationError = issues.messageAt(variationKey);
  const bucketError = issues.messageAt(`${path}.rollout.bucketBy`);
  const serveError = issues.messageAt(path);

  function toRollout() {
    const current = !rollout && "variation" in serve ? serve.variation : variations[0]?.key;
    const keys = [current, ...variations.map((v) => v.key).filter((k) => k !== current)].filter((k): k is string => typeof k === "string");
    props.onChange({ rollout: { weights: keys.map((variation, i) => ({ variation, weight: i === 0 ? TOTAL : 0 })) } });
  }

  function toVariation() {
    const biggest = rollout ? [...rollout.weights].sort((a, b) => b.weight - a.weight)[0]?.variation : undefined;
    props.onChange({ variation: biggest ?? variations[0]?.key ?? "" });
  }

  const setRollout = (next: Partial<Rollout>) => rollout && props.onChange({ rollout: { ...rollout, ...next } });
  const unused = variations.filter((v) => !rollout?.weights.some((w) => w.variation === v.key));
  const total = rollout ? sumWeights(rollout.weights) : TOTAL;

  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">{props.label}</legend>
      <div className="flex flex-wrap gap-4 text-sm" role="radiogroup" aria-label={`${props.label}: kind`}>
        <label className="inline-flex items-center gap-1">
          <input type="radio" name={radioName} checked={!rollout} onChange={toVariation} />
          A variation
        </label>
        <label className="inline-flex items-center gap-1">
          <input type="radio" name={radioName} checked={!!rollout} onChange={toRollout} />
          A percentage rollout
        </label>
      </div>
      {!rollout && "variation" in serve ? (
        <div>
          <label htmlFor={fieldDomId(variationKey)} className="sr-only">
            {props.label}: variation
          </label>
          <select
            id={fieldDomId(variationKey)}
            value={serve.variation}
            onChange={(e) => props.onChange({ variation: e.target.value })}
            aria-invalid={variationError ? true : undefined}
            className={cn(SELECT, variationError && "border-red-500")}
          >
            {!variations.some((v) => v.key === serve.variation) ? <option value={serve.variation}>{serve.variation} (unknown)</option> : null}
            {variations.map((v) => (
              <option key={v.key} value={v.key}>
                {variationLabel(variations, v.key)}
              </option>
            ))}
          </select>
          {variationError ? (
            <p role="alert" className="mt-1 text-xs text-red-600 dark:text-red-400">
              {variationError}
            </p>
          ) : null}
        </div>
      ) : null}
      {rollout ? (
        <div className="space-y-2 rounded-md bg-slate-50 p-2 dark:bg-slate-900">
          <ul className="space-y-1">
            {rollout.weights.map((w, i) => {
              const weightError = issues.messageAt(`${weightsKey}.${i}.weight`) ?? issues.messageAt(`${weightsKey}.${i}.variation`);
              return (
                <li key={w.variation} className="flex flex-wrap items-center gap-2">
                  <span className="w-40 truncate font-mono text-sm" title={variationLabel(variations, w.variation)}>
                    {variationLabel(variations, w.variation)}
                  </span>
                  <input
                    type="range"
                    min={0}
                    max={100}
                    step={0.1}
                    value={w.weight / 1000}
                    aria-label={`${props.label}: share of ${w.variation} (slider)`}
                    aria-valuetext={`${unitsToPercent(w.weight)} %`}
                    onChange={(e) => setRollout({ weights: setWeight(rollout.weights, i, Math.round(Number(e.target.value) * 1000), balance) })}
                    className="w-40 accent-indigo-600"
                  />
                  <PercentInput
                    id={fieldDomId(`${weightsKey}.${i}.weight`)}
                    label={`${props.label}: percentage for ${w.variation}`}
                    units={w.weight}
                    invalid={!!weightError || !!weightsError}
                    describedBy={weightsError ? fieldDomId(weightsKey) : undefined}
                    onUnits={(units) => setRollout({ weights: setWeight(rollout.weights, i, units, balance) })}
                  />
                  {rollout.weights.length > 1 ? (
                    <Button type="button" variant="ghost" className="px-2 py-1" aria-label={`${props.label}: remove ${w.variation} from the rollout`} onClick={() => setRollout({ weights: removeWeight(rollout.weights, i, balance) })}>
                      Remove
                    </Button>
                  ) : null}
                  {weightError ? (
                    <p role="alert" className="w-full text-xs text-red-600 dark:text-red-400">
                      {weightError}
                    </p>
                  ) : null}
                </li>
              );
            })}
          </ul>
          <div className="flex flex-wrap items-center gap-3 text-sm">
            <span className={cn("font-medium", total !== TOTAL && "text-red-700 dark:text-red-400")} aria-live="polite">
              Total: {unitsToPercent(total)} %
            </span>
            <label className="inline-flex items-center gap-1">
              <input type="checkbox" checked={balance} onChange={(e) => setBalance(e.target.checked)} />
              Keep the total at 100 %
            </label>
            {unused.length ? (
              <label className="inline-flex items-center gap-1">
                <span>Add</span>
                <select aria-label={`${props.label}: add a variation to the rollout`} value="" onChange={(e) => e.target.value && setRollout({ weights: addWeight(rollout.weights, e.target.value) })} className={SELECT}>
                  <option value="">variation…</option>
                  {unused.map((v) => (
                    <option key={v.key} value={v.key}>
                      {variationLabel(variations, v.key)}
                    </option>
                  ))}
                </select>
              </label>
            ) : null}
            <label className="inline-flex items-center gap-1">
              <span>Bucket by</span>
              <select
                id={fieldDomId(`${path}.rollout.bucketBy`)}
                aria-label={`${props.label}: bucket by`}
                value={rollout.bucketBy ?? "targetingKey"}
                onChange={(e) => {
                  const { bucketBy: _old, ...rest } = rollout;
                  props.onChange({ rollout: e.target.value === "targetingKey" ? rest : { ...rest, bucketBy: e.target.value } });
                }}
                aria-invalid={bucketError ? true : undefined}
                className={cn(SELECT, bucketError && "border-red-500")}
              >
                <option value="targetingKey">targetingKey (the context key)</option>
                {rollout.bucketBy && rollout.bucketBy !== "targetingKey" && !bucketAttributes(props.catalog).some((a) => a.key === rollout.bucketBy) ? (
                  <option value={rollout.bucketBy}>{rollout.bucketBy} (not usable)</option>
                ) : null}
                {bucketAttributes(props.catalog).map((a) => (
                  <option key={a.key} value={a.key}>
                    {a.key}
                    {a.sensitivity === "private" ? " (private)" : ""}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {weightsError ? (
            <p id={fieldDomId(weightsKey)} role="alert" className="text-xs text-red-600 dark:text-red-400">
              {weightsError}
            </p>
          ) : null}
          {bucketError ? (
            <p role="alert" className="text-xs text-red-600 dark:text-red-400">
              {bucketError}
            </p>
          ) : null}
        </div>
      ) : null}
      {serveError ? (
        <p role="alert" className="text-xs text-red-600 dark:text-red-400">
          {serveError}
        </p>
      ) : null}
    </fieldset>
  );
}
