/**
 * The demo project a fresh Switchyard starts with: an online store's flags, segments, attribute
 * catalog and metrics, written to look like a real team's (see prisma/seed.ts for how it is stored).
 * Every configuration follows lib/evaluation/types.ts: rule ids are unique per flag, rollout
 * weights are in 0.001 % units and sum to 100000, and every attribute used is in the catalog.
 */
import type {
  AttributeSensitivity,
  AttributeType,
  Clause,
  ClauseValue,
  FlagConfig,
  FlagKind,
  FlagValueType,
  Prerequisite,
  Rule,
  SegmentRule,
  Serve,
  Target,
  Variation,
} from "../lib/evaluation/types";

export const DEMO_PASSWORD = "switchyard";

export type DemoRole = "viewer" | "editor" | "approver" | "admin";

export const DEMO_USERS: readonly { email: string; name: string; role: DemoRole }[] = [
  { email: "admin@example.com", name: "Ada Admin", role: "admin" },
  { email: "editor@example.com", name: "Eli Editor", role: "editor" },
  { email: "approver@example.com", name: "Ana Approver", role: "approver" },
  { email: "viewer@example.com", name: "Vic Viewer", role: "viewer" },
];

export const DEMO_PROJECT = {
  key: "storefront",
  name: "Storefront",
  description: "The customer-facing web shop and mobile apps: search, catalogue, cart, checkout and payments.",
  optOutAttribute: "experimentsOptOut",
};

export type EnvKey = "development" | "staging" | "production";

export interface DemoEnvironment {
  key: EnvKey;
  name: string;
  sortOrder: number;
  color: string;
  requireReview: boolean;
  requiredApprovals: number;
  maxRolloutPercentWithoutReview: number;
  requireExpiry: boolean;
  maxFlagLifetimeDays: number | null;
  requireOwner: boolean;
  allowlistOnlyFirstStage: { segments: string[] } | null;
}

export const DEMO_ENVIRONMENTS: readonly DemoEnvironment[] = [
  {
    key: "development",
    name: "Development",
    sortOrder: 0,
    color: "#16a34a",
    requireReview: false,
    requiredApprovals: 0,
    maxRolloutPercentWithoutReview: 100000,
    requireExpiry: false,
    maxFlagLifetimeDays: null,
    requireOwner: false,
    allowlistOnlyFirstStage: null,
  },
  {
    key: "staging",
    name: "Staging",
    sortOrder: 1,
    color: "#d97706",
    requireReview: false,
    requiredApprovals: 0,
    maxRolloutPercentWithoutReview: 100000,
    requireExpiry: false,
    maxFlagLifetimeDays: null,
    requireOwner: true,
    allowlistOnlyFirstStage: null,
  },
  {
    key: "production",
    name: "Production",
    sortOrder: 2,
    color: "#dc2626",
    requireReview: true,
    requiredApprovals: 1,
    // Going past half of the traffic needs a reviewed change even for an automated rollout stage.
    maxRolloutPercentWithoutReview: 50000,
    requireExpiry: true,
    maxFlagLifetimeDays: 180,
    requireOwner: true,
    allowlistOnlyFirstStage: { segments: ["internal-staff", "beta-testers"] },
  },
];

export interface DemoAttribute {
  key: string;
  type: AttributeType;
  description: string;
  allowedValues?: ClauseValue[];
  sensitivity: AttributeSensitivity;
  dashboardDimension: boolean;
  verifiedSource?: string;
}

export const DEMO_ATTRIBUTES: readonly DemoAttribute[] = [
  {
    key: "plan",
    type: "string",
    description: "Subscription plan of the shopper's account.",
    allowedValues: ["free", "pro", "business", "enterprise"],
    sensitivity: "public",
    dashboardDimension: true,
    verifiedSource: "Billing service, set server-side from the session",
  },
  {
    key: "country",
    type: "string",
    description: "ISO 3166-1 alpha-2 country code of the shipping address, or of the request when there is none.",
    sensitivity: "public",
    dashboardDimension: false,
    verifiedSource: "Account address; GeoIP at the edge for guests",
  },
  {
    key: "region",
    type: "string",
    description: "Sales region derived from the country.",
    allowedValues: ["north-america", "latin-america", "europe", "asia-pacific", "middle-east-africa"],
    sensitivity: "public",
    dashboardDimension: true,
    verifiedSource: "Derived from country by the API gateway",
  },
  {
    key: "device",
    type: "string",
    description: "Device class of the client.",
    allowedValues: ["desktop", "mobile", "tablet"],
    sensitivity: "public",
    dashboardDimension: true,
    verifiedSource: "User-agent classification at the edge",
  },
  {
    key: "appVersion",
    type: "semver",
    description: "Version of the iOS/Android app (absent on the web).",
    sensitivity: "public",
    dashboardDimension: false,
  },
  {
    key: "signupDate",
    type: "date",
    description: "When the account was created (ISO 8601).",
    sensitivity: "public",
    dashboardDimension: false,
    verifiedSource: "Accounts database",
  },
  {
    key: "email",
    type: "string",
    description: "Account email. Usable in rules (e.g. staff domains) but never stored with events or shown.",
    sensitivity: "private",
    dashboardDimension: false,
    verifiedSource: "Accounts database (verified address)",
  },
  {
    key: "accountId",
    type: "string",
    description: "Business account the shopper belongs to; bucket by it to keep a whole company in one variation.",
    sensitivity: "public",
    dashboardDimension: false,
    verifiedSource: "Session",
  },
  {
    key: "betaOptIn",
    type: "boolean",
    description: "The shopper joined the beta programme in their account settings.",
    sensitivity: "public",
    dashboardDimension: false,
    verifiedSource: "Account preferences",
  },
  {
    key: "cartValue",
    type: "number",
    description: "Current cart subtotal in USD.",
    sensitivity: "public",
    dashboardDimension: false,
  },
  {
    key: "experimentsOptOut",
    type: "boolean",
    description: "The shopper opted out of experiments (privacy settings); they always get the control variation.",
    sensitivity: "public",
    dashboardDimension: false,
    verifiedSource: "Privacy settings",
  },
  {
    key: "dateOfBirth",
    type: "date",
    description: "Collected for age-restricted products only. Targeting on age is not allowed.",
    sensitivity: "forbidden",
    dashboardDimension: false,
  },
];

export interface DemoSegment {
  key: string;
  name: string;
  description: string;
  owner: DemoRole;
  reviewCadenceDays: number | null;
  included: string[];
  excluded: string[];
  rules: SegmentRule[];
  /** Extra keys included in development only (developers' test accounts). */
  developmentIncluded?: string[];
}

export const DEMO_SEGMENTS: readonly DemoSegment[] = [
  {
    key: "paid-north-america",
    name: "Paid customers in North America",
    description: "Shoppers on a paid plan (pro, business, enterprise) whose sales region is North America.",
    owner: "editor",
    reviewCadenceDays: 90,
    included: ["user-10482", "user-20931"],
    excluded: ["user-99017"],
    rules: [
      {
        id: "seg-pna-paid-na",
        clauses: [
          { attribute: "plan", op: "in", values: ["pro", "business", "enterprise"] },
          { attribute: "region", op: "in", values: ["north-america"] },
        ],
      },
    ],
  },
  {
    key: "beta-testers",
    name: "Beta testers",
    description: "Shoppers who opted into the beta programme, plus hand-picked power users.",
    owner: "editor",
    reviewCadenceDays: 30,
    included: [
      "user-10020",
      "user-10311",
      "user-11872",
      "user-12004",
      "user-13558",
      "user-14730",
      "user-15092",
      "user-16641",
      "user-17385",
      "user-18816",
    ],
    excluded: [],
    rules: [{ id: "seg-beta-opt-in", clauses: [{ attribute: "betaOptIn", op: "equals", values: [true] }] }],
    developmentIncluded: ["dev-tester-1", "dev-tester-2"],
  },
  {
    key: "internal-staff",
    name: "Internal staff",
    description: "Employees signed in with a company address; used for dogfooding before any customer sees a change.",
    owner: "admin",
    reviewCadenceDays: 180,
    included: ["user-ops-lead-7"],
    excluded: [],
    rules: [
      {
        id: "seg-staff-domain",
        clauses: [{ attribute: "email", op: "endsWith", values: ["@storefront.example"], caseInsensitive: true }],
      },
    ],
  },
];

export interface DemoFlag {
  key: string;
  name: string;
  description: string;
  kind: FlagKind;
  valueType: FlagValueType;
  variations: Variation[];
  /** Experiments: what opted-out contexts get. */
  controlVariation?: string;
  tags: string[];
  lifecycle: "draft" | "active" | "rolling_out" | "released" | "deprecated" | "archived";
  owner: DemoRole;
  clientVisible: boolean;
  createdDaysAgo: number;
  /** Days from the seed time; negative: already expired. Omitted: no expiry. */
  expiresInDays?: number;
  configs: Record<EnvKey, FlagConfig>;
}

export interface DemoMetric {
  key: string;
  name: string;
  description: string;
  kind: "rate" | "value";
  goodDirection: "increase" | "decrease";
  unit: string;
}

export const DEMO_METRICS: readonly DemoMetric[] = [
  {
    key: "checkout-conversion",
    name: "Checkout conversion",
    description: "Share of exposed shoppers who complete an order.",
    kind: "rate",
    goodDirection: "increase",
    unit: "%",
  },
  {
    key: "error-rate",
    name: "Error rate",
    description: "Share of exposed shoppers who hit a server error (5xx) or a client crash.",
    kind: "rate",
    goodDirection: "decrease",
    unit: "%",
  },
  {
    key: "latency-p95",
    name: "Page latency (p95)",
    description: "Server response time of storefront pages; guardrails compare the mean of reported p95 values.",
    kind: "value",
    goodDirection: "decrease",
    unit: "ms",
  },
  {
    key: "revenue-per-visitor",
    name: "Revenue per visitor",
    description: "Order value in USD per exposed shopper.",
    kind: "value",
    goodDirection: "increase",
    unit: "USD",
  },
];

export const DEMO_ROLLOUT_TEMPLATES = [
  {
    key: "standard-release",
    name: "Standard release",
    description: "1 % for an hour, then 5 %, 25 %, 50 % and everyone, watching errors and latency.",
    stages: [
      { percent: 1000, minDurationMinutes: 60, requiresApproval: false },
      { percent: 5000, minDurationMinutes: 360, requiresApproval: false },
      { percent: 25000, minDurationMinutes: 1440, requiresApproval: false },
      { percent: 50000, minDurationMinutes: 1440, requiresApproval: false },
      { percent: 100000, minDurationMinutes: 0, requiresApproval: false },
    ],
    guardrails: [
      { metricKey: "error-rate", kind: "absolute", threshold: 0.02, confidence: 0.95, minSamplePerArm: 1000 },
      { metricKey: "latency-p95", kind: "relative_to_control", threshold: 0.1, confidence: 0.95, minSamplePerArm: 1000 },
    ],
    breachAction: "rollback_to_previous" as const,
  },
  {
    key: "risky-migration",
    name: "Risky migration",
    description: "Slow ramp with a person's approval before 25 % and before everyone; halts on any regression.",
    stages: [
      { percent: 100, minDurationMinutes: 120, requiresApproval: false },
      { percent: 1000, minDurationMinutes: 720, requiresApproval: false },
      { percent: 5000, minDurationMinutes: 1440, requiresApproval: true },
      { percent: 25000, minDurationMinutes: 2880, requiresApproval: false },
      { percent: 100000, minDurationMinutes: 0, requiresApproval: true },
    ],
    guardrails: [
      { metricKey: "error-rate", kind: "relative_to_control", threshold: 0.05, confidence: 0.99, minSamplePerArm: 2000 },
      { metricKey: "checkout-conversion", kind: "relative_to_control", threshold: 0.02, confidence: 0.95, minSamplePerArm: 2000 },
    ],
    breachAction: "halt" as const,
  },
];

// --- helpers for readable configurations ----------------------------------------------------------

const BOOLEAN: Variation[] = [
  { key: "on", value: true, name: "On" },
  { key: "off", value: false, name: "Off" },
];

const serve = (variation: string): Serve => ({ variation });

/** Percentages in whole percent for readability, stored in 0.001 % units. */
function split(percents: Record<string, number>, options: { bucketBy?: string; seed?: string } = {}): Serve {
  const weights = Object.entries(percents).map(([variation, percent]) => ({ variation, weight: Math.round(percent * 1000) }));
  return { rollout: { weights, ...options } };
}

const inSegment = (...segments: string[]): Clause => ({ attribute: "targetingKey", op: "inSegment", values: segments });
const attr = (attribute: string, op: Clause["op"], ...values: ClauseValue[]): Clause => ({ attribute, op, values });
const rule = (id: string, description: string, clauses: Clause[], serveWhat: Serve): Rule => ({
  id,
  description,
  clauses,
  serve: serveWhat,
});

function config(
  offVariation: string,
  fallthrough: Serve,
  more: { on?: boolean; rules?: Rule[]; targets?: Target[]; prerequisites?: Prerequisite[] } = {},
): FlagConfig {
  return {
    on: more.on ?? true,
    offVariation,
    targets: more.targets ?? [],
    rules: more.rules ?? [],
    fallthrough,
    prerequisites: more.prerequisites ?? [],
  };
}

const everywhere = (c: FlagConfig): Record<EnvKey, FlagConfig> => ({ development: c, staging: c, production: c });

const staffRule = (id: string, variation: string): Rule =>
  rule(id, "Internal staff dogfood it first", [inSegment("internal-staff")], serve(variation));

// --- the flags ------------------------------------------------------------------------------------

export const DEMO_FLAGS: readonly DemoFlag[] = [
  // Release flags -----------------------------------------------------------------------------
  {
    key: "new-search",
    name: "New search experience",
    description:
      "Typo-tolerant search with facets and instant results, backed by the new search cluster. " +
      "Live for paid customers in North America; everyone else keeps the legacy search.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["search", "web", "q4-launch"],
    lifecycle: "rolling_out",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 21,
    expiresInDays: 60,
    configs: {
      development: config("off", serve("on")),
      staging: config("off", serve("on")),
      production: config("off", serve("off"), {
        rules: [
          rule("rule-paid-na", "Paid customers in North America", [inSegment("paid-north-america")], serve("on")),
          staffRule("rule-staff", "on"),
        ],
      }),
    },
  },
  {
    key: "one-click-reorder",
    name: "One-click reorder",
    description: "A \"Buy again\" button on past orders that refills the cart from a saved cart in one tap.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["cart", "retention"],
    lifecycle: "rolling_out",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 30,
    expiresInDays: 45,
    configs: {
      development: config("off", serve("on"), { prerequisites: [{ flagKey: "saved-carts", variation: "on" }] }),
      staging: config("off", serve("on"), { prerequisites: [{ flagKey: "saved-carts", variation: "on" }] }),
      production: config("off", split({ on: 25, off: 75 }), {
        prerequisites: [{ flagKey: "saved-carts", variation: "on" }],
        rules: [staffRule("rule-staff", "on")],
      }),
    },
  },
  {
    key: "saved-carts",
    name: "Saved carts",
    description: "Carts persist across devices for signed-in shoppers. Fully released; the flag can be removed after the holiday freeze.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["cart"],
    lifecycle: "released",
    owner: "approver",
    clientVisible: false,
    createdDaysAgo: 120,
    expiresInDays: 40,
    configs: everywhere(config("off", serve("on"))),
  },
  {
    key: "dark-mode-storefront",
    name: "Dark mode",
    description: "Dark colour scheme for the web storefront, following the system preference.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["web", "design"],
    lifecycle: "active",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 14,
    expiresInDays: 90,
    configs: {
      development: config("off", serve("on")),
      staging: config("off", serve("on")),
      production: config("off", serve("off"), {
        rules: [rule("rule-beta-and-staff", "Beta testers and staff", [inSegment("beta-testers", "internal-staff")], serve("on"))],
      }),
    },
  },
  {
    key: "wishlist-sharing",
    name: "Share wishlists",
    description: "Share a wishlist by link. Still in development: off outside the development environment.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["wishlist", "social"],
    lifecycle: "draft",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 3,
    expiresInDays: 120,
    configs: {
      development: config("off", serve("on")),
      staging: config("off", serve("off"), { on: false }),
      production: config("off", serve("off"), { on: false }),
    },
  },
  {
    key: "product-video-gallery",
    name: "Product video gallery",
    description: "Autoplaying product videos in the gallery on mobile. Needs app 5.1.1 or later for the new player.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["catalogue", "mobile"],
    lifecycle: "active",
    owner: "approver",
    clientVisible: true,
    createdDaysAgo: 20,
    expiresInDays: 75,
    configs: {
      development: config("off", serve("on")),
      staging: config("off", serve("on")),
      production: config("off", serve("off"), {
        rules: [
          rule(
            "rule-mobile-new-app",
            "Mobile apps with the new video player",
            [attr("device", "in", "mobile", "tablet"), attr("appVersion", "semverGt", "5.1.0")],
            serve("on"),
          ),
        ],
      }),
    },
  },
  {
    key: "legacy-checkout-fallback",
    name: "Legacy checkout fallback",
    description:
      "Routes checkout to the old monolith when set. Deprecated since checkout v3; the code path is scheduled for removal.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["checkout", "cleanup"],
    lifecycle: "deprecated",
    owner: "admin",
    clientVisible: false,
    createdDaysAgo: 170,
    expiresInDays: -10,
    configs: everywhere(config("off", serve("off"), { on: false })),
  },
  {
    key: "buy-now-pay-later",
    name: "Buy now, pay later",
    description: "Offers instalment payments at checkout through the BNPL partner. Ramping up in the US and Canada.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["checkout", "payments"],
    lifecycle: "rolling_out",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 12,
    expiresInDays: 80,
    configs: {
      development: config("off", serve("on")),
      staging: config("off", serve("on")),
      production: config("off", serve("off"), {
        rules: [
          rule("rule-us-ca-ramp", "US and Canada, ramping up", [attr("country", "in", "US", "CA")], split({ on: 10, off: 90 })),
        ],
      }),
    },
  },
  {
    key: "address-autocomplete",
    name: "Address autocomplete",
    description: "Suggests addresses as the shopper types at checkout. Released to everyone months ago: remove the flag.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["checkout", "cleanup"],
    lifecycle: "released",
    owner: "approver",
    clientVisible: true,
    createdDaysAgo: 150,
    expiresInDays: 25,
    configs: everywhere(config("off", serve("on"))),
  },
  {
    key: "store-locator-v2",
    name: "Store locator v2",
    description: "Map-based store locator with pickup-slot availability, live in Europe first.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["stores", "web"],
    lifecycle: "active",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 60,
    expiresInDays: 7,
    configs: {
      development: config("off", serve("on")),
      staging: config("off", serve("on")),
      production: config("off", serve("off"), {
        rules: [rule("rule-europe", "Europe first", [attr("region", "in", "europe")], serve("on"))],
      }),
    },
  },
  {
    key: "seasonal-holiday-theme",
    name: "Holiday theme",
    description: "Last season's festive header and banners. Archived; kept for its history.",
    kind: "release",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["design", "seasonal"],
    lifecycle: "archived",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 175,
    expiresInDays: -30,
    configs: everywhere(config("off", serve("off"), { on: false })),
  },
  {
    key: "promo-banner-config",
    name: "Promotion banner",
    description: "Content of the site-wide promotion banner. Staging previews the Black Friday campaign.",
    kind: "release",
    valueType: "json",
    variations: [
      { key: "none", value: { enabled: false }, name: "No banner" },
      {
        key: "black-friday",
        name: "Black Friday",
        value: {
          enabled: true,
          headline: "Black Friday: 25% off everything",
          discountPercent: 25,
          code: "BF25",
          endsAt: "2026-11-30T23:59:59Z",
        },
      },
      {
        key: "free-returns",
        name: "Free returns",
        value: { enabled: true, headline: "Free returns on every order, all year", discountPercent: 0 },
      },
    ],
    tags: ["marketing", "web"],
    lifecycle: "active",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 9,
    expiresInDays: 30,
    configs: {
      development: config("none", serve("black-friday")),
      staging: config("none", serve("black-friday")),
      production: config("none", serve("free-returns"), {
        rules: [staffRule("rule-staff-preview", "black-friday")],
      }),
    },
  },

  // Experiments -------------------------------------------------------------------------------
  {
    key: "checkout-redesign",
    name: "Checkout redesign",
    description:
      "A/B/C test of the checkout: the classic multi-step flow against a single page and an accordion. " +
      "Primary metric: checkout conversion; guardrails: error rate and latency.",
    kind: "experiment",
    valueType: "string",
    variations: [
      { key: "classic", value: "classic", name: "Classic (control)", description: "Current four-step checkout" },
      { key: "single-page", value: "single-page", name: "Single page" },
      { key: "accordion", value: "accordion", name: "Accordion" },
    ],
    controlVariation: "classic",
    tags: ["checkout", "growth"],
    lifecycle: "active",
    owner: "admin",
    clientVisible: true,
    createdDaysAgo: 10,
    expiresInDays: 45,
    configs: {
      development: config("classic", serve("single-page")),
      staging: config("classic", split({ classic: 33, "single-page": 33, accordion: 34 })),
      production: config("classic", split({ classic: 33, "single-page": 33, accordion: 34 }), {
        rules: [staffRule("rule-staff-preview", "single-page")],
      }),
    },
  },
  {
    key: "pricing-page-layout",
    name: "Pricing page layout",
    description: "Plan grid versus comparison table on the pricing page; bucketed by account so colleagues see the same page.",
    kind: "experiment",
    valueType: "string",
    variations: [
      { key: "grid", value: "grid", name: "Plan grid (control)" },
      { key: "comparison-table", value: "comparison-table", name: "Comparison table" },
    ],
    controlVariation: "grid",
    tags: ["pricing", "growth"],
    lifecycle: "active",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 8,
    expiresInDays: 50,
    configs: {
      development: config("grid", serve("comparison-table")),
      staging: config("grid", split({ grid: 50, "comparison-table": 50 }, { bucketBy: "accountId" })),
      production: config("grid", split({ grid: 50, "comparison-table": 50 }, { bucketBy: "accountId" })),
    },
  },
  {
    key: "recommendation-algorithm",
    name: "Recommendation algorithm",
    description:
      "Which model ranks \"You may also like\": collaborative filtering (control), trending items, or the new personalised model.",
    kind: "experiment",
    valueType: "string",
    variations: [
      { key: "collaborative-filtering", value: "collaborative-filtering", name: "Collaborative filtering (control)" },
      { key: "trending", value: "trending", name: "Trending" },
      { key: "personalized-v2", value: "personalized-v2", name: "Personalised v2" },
    ],
    controlVariation: "collaborative-filtering",
    tags: ["recommendations", "ml"],
    lifecycle: "active",
    owner: "approver",
    clientVisible: false,
    createdDaysAgo: 25,
    expiresInDays: 35,
    configs: {
      development: config("collaborative-filtering", serve("personalized-v2")),
      staging: config("collaborative-filtering", split({ "collaborative-filtering": 40, trending: 30, "personalized-v2": 30 })),
      production: config("collaborative-filtering", split({ "collaborative-filtering": 40, trending: 30, "personalized-v2": 30 }), {
        rules: [
          rule(
            "rule-free-plan-control",
            "Free plan stays on the current model",
            [attr("plan", "in", "free")],
            serve("collaborative-filtering"),
          ),
        ],
      }),
    },
  },
  {
    key: "free-shipping-threshold",
    name: "Free shipping threshold",
    description: "Order value (USD) above which shipping is free, tested in the US; other countries keep $50.",
    kind: "experiment",
    valueType: "number",
    variations: [
      { key: "usd-35", value: 35, name: "$35" },
      { key: "usd-50", value: 50, name: "$50 (control)" },
      { key: "usd-75", value: 75, name: "$75" },
    ],
    controlVariation: "usd-50",
    tags: ["shipping", "pricing"],
    lifecycle: "active",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 5,
    expiresInDays: 60,
    configs: {
      development: config("usd-50", serve("usd-35")),
      staging: config("usd-50", split({ "usd-35": 34, "usd-50": 33, "usd-75": 33 })),
      production: config("usd-50", split({ "usd-35": 34, "usd-50": 33, "usd-75": 33 }), {
        rules: [rule("rule-outside-us", "Outside the US: current threshold", [attr("country", "notIn", "US")], serve("usd-50"))],
      }),
    },
  },
  {
    key: "homepage-hero-copy",
    name: "Homepage hero copy",
    description: "Headline test on the homepage hero: free returns versus social proof.",
    kind: "experiment",
    valueType: "string",
    variations: [
      { key: "control", value: "Everything you love, delivered tomorrow", name: "Control" },
      { key: "free-returns", value: "Free returns on every order", name: "Free returns" },
      { key: "social-proof", value: "Loved by 2 million shoppers", name: "Social proof" },
    ],
    controlVariation: "control",
    tags: ["marketing", "web"],
    lifecycle: "active",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 18,
    expiresInDays: 20,
    configs: {
      development: config("control", serve("social-proof")),
      staging: config("control", split({ control: 34, "free-returns": 33, "social-proof": 33 })),
      production: config("control", split({ control: 34, "free-returns": 33, "social-proof": 33 })),
    },
  },

  // Operational flags -------------------------------------------------------------------------
  {
    key: "payments-circuit-breaker",
    name: "Payments circuit breaker",
    description:
      "Kill switch for card payments. Turning the flag off stops checkout from calling the payment provider " +
      "and shows \"Payments are temporarily unavailable\" instead of failing orders.",
    kind: "operational",
    valueType: "boolean",
    variations: [
      { key: "on", value: true, name: "Payments enabled" },
      { key: "off", value: false, name: "Payments halted" },
    ],
    tags: ["payments", "kill-switch", "on-call"],
    lifecycle: "active",
    owner: "admin",
    clientVisible: false,
    createdDaysAgo: 160,
    configs: everywhere(config("off", serve("on"))),
  },
  {
    key: "recommendations-fallback",
    name: "Recommendations fallback",
    description: "When on, pages show cached best-sellers instead of calling the recommendation service (use during its incidents).",
    kind: "operational",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["recommendations", "kill-switch", "on-call"],
    lifecycle: "active",
    owner: "approver",
    clientVisible: false,
    createdDaysAgo: 90,
    configs: everywhere(config("off", serve("off"))),
  },
  {
    key: "search-rate-limit",
    name: "Search rate limit",
    description: "Search API requests allowed per minute and shopper; enterprise accounts get a higher limit.",
    kind: "operational",
    valueType: "number",
    variations: [
      { key: "standard", value: 600, name: "600/min" },
      { key: "elevated", value: 1200, name: "1200/min" },
      { key: "strict", value: 120, name: "120/min (under attack)" },
    ],
    tags: ["search", "on-call"],
    lifecycle: "active",
    owner: "admin",
    clientVisible: false,
    createdDaysAgo: 75,
    configs: {
      development: config("standard", serve("elevated")),
      staging: config("standard", serve("standard")),
      production: config("standard", serve("standard"), {
        rules: [rule("rule-enterprise", "Enterprise accounts", [attr("plan", "in", "enterprise")], serve("elevated"))],
      }),
    },
  },
  {
    key: "maintenance-banner",
    name: "Maintenance banner",
    description: "Site-wide notice for planned maintenance or incidents, shown above the header.",
    kind: "operational",
    valueType: "json",
    variations: [
      { key: "none", value: { enabled: false }, name: "Hidden" },
      {
        key: "scheduled",
        name: "Scheduled maintenance",
        value: {
          enabled: true,
          severity: "info",
          message: "Scheduled maintenance on Sunday 02:00–03:00 UTC: checkout may be briefly unavailable.",
        },
      },
      {
        key: "incident",
        name: "Incident",
        value: { enabled: true, severity: "warning", message: "Order confirmation emails are delayed. Your orders are safe." },
      },
    ],
    tags: ["on-call", "web"],
    lifecycle: "active",
    owner: "admin",
    clientVisible: true,
    createdDaysAgo: 140,
    configs: {
      development: config("none", serve("scheduled")),
      staging: config("none", serve("none")),
      production: config("none", serve("none")),
    },
  },
  {
    key: "log-level",
    name: "Log level",
    description: "Minimum log level of the storefront services; a canary instance logs at debug in production.",
    kind: "operational",
    valueType: "string",
    variations: [
      { key: "debug", value: "debug" },
      { key: "info", value: "info" },
      { key: "warn", value: "warn" },
      { key: "error", value: "error" },
    ],
    tags: ["observability"],
    lifecycle: "active",
    owner: "admin",
    clientVisible: false,
    createdDaysAgo: 165,
    configs: {
      development: config("info", serve("debug")),
      staging: config("info", serve("info")),
      production: config("warn", serve("warn"), { targets: [{ variation: "debug", values: ["svc-checkout-canary"] }] }),
    },
  },
  {
    key: "image-cdn-provider",
    name: "Image CDN provider",
    description: "Which CDN serves product images; migrating Asia-Pacific traffic to Fastly first.",
    kind: "operational",
    valueType: "string",
    variations: [
      { key: "cloudfront", value: "cloudfront", name: "CloudFront" },
      { key: "fastly", value: "fastly", name: "Fastly" },
    ],
    tags: ["infrastructure", "performance"],
    lifecycle: "active",
    owner: "approver",
    clientVisible: true,
    createdDaysAgo: 33,
    configs: {
      development: config("cloudfront", serve("fastly")),
      staging: config("cloudfront", serve("fastly")),
      production: config("cloudfront", split({ cloudfront: 90, fastly: 10 }), {
        rules: [rule("rule-apac", "Asia-Pacific on Fastly", [attr("region", "in", "asia-pacific")], serve("fastly"))],
      }),
    },
  },
  {
    key: "inventory-sync-interval-seconds",
    name: "Inventory sync interval",
    description: "Seconds between stock-level syncs from the warehouse system.",
    kind: "operational",
    valueType: "number",
    variations: [
      { key: "fast", value: 30, name: "30 s" },
      { key: "normal", value: 60, name: "60 s" },
      { key: "slow", value: 300, name: "5 min (warehouse maintenance)" },
    ],
    tags: ["inventory", "infrastructure"],
    lifecycle: "active",
    owner: "admin",
    clientVisible: false,
    createdDaysAgo: 110,
    configs: {
      development: config("normal", serve("slow")),
      staging: config("normal", serve("normal")),
      production: config("normal", serve("normal")),
    },
  },
  {
    key: "checkout-api-timeout-ms",
    name: "Checkout API timeout",
    description: "Timeout in milliseconds for calls from checkout to the pricing and tax services.",
    kind: "operational",
    valueType: "number",
    variations: [
      { key: "short", value: 2000, name: "2 s" },
      { key: "default", value: 5000, name: "5 s" },
      { key: "long", value: 10000, name: "10 s (degraded dependencies)" },
    ],
    tags: ["checkout", "on-call"],
    lifecycle: "active",
    owner: "admin",
    clientVisible: false,
    createdDaysAgo: 130,
    configs: everywhere(config("default", serve("default"))),
  },
  {
    key: "shipping-options-config",
    name: "Shipping options",
    description: "Shipping methods offered at checkout, by market.",
    kind: "operational",
    valueType: "json",
    variations: [
      {
        key: "standard-only",
        name: "Standard only",
        value: { options: [{ id: "standard", label: "Standard (3–5 business days)", priceCents: 0 }] },
      },
      {
        key: "with-express",
        name: "Standard and express",
        value: {
          options: [
            { id: "standard", label: "Standard (3–5 business days)", priceCents: 0 },
            { id: "express", label: "Express (1–2 business days)", priceCents: 1299 },
          ],
        },
      },
      {
        key: "with-same-day",
        name: "Standard, express and same day",
        value: {
          options: [
            { id: "standard", label: "Standard (3–5 business days)", priceCents: 0 },
            { id: "express", label: "Express (1–2 business days)", priceCents: 1299 },
            { id: "same-day", label: "Same day (order by noon)", priceCents: 2499 },
          ],
        },
      },
    ],
    tags: ["shipping", "checkout"],
    lifecycle: "active",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 95,
    configs: {
      development: config("standard-only", serve("with-same-day")),
      staging: config("standard-only", serve("with-express")),
      production: config("standard-only", serve("standard-only"), {
        rules: [
          rule(
            "rule-us-business",
            "US business and enterprise accounts",
            [attr("country", "in", "US"), attr("plan", "in", "business", "enterprise")],
            serve("with-same-day"),
          ),
          rule("rule-north-america", "North America", [attr("region", "in", "north-america")], serve("with-express")),
        ],
      }),
    },
  },

  // Permission flags --------------------------------------------------------------------------
  {
    key: "admin-bulk-export",
    name: "Bulk order export",
    description: "Lets back-office users export all orders as CSV. Staff only; a few named operators outside the staff domain.",
    kind: "permission",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["admin", "data"],
    lifecycle: "active",
    owner: "admin",
    clientVisible: false,
    createdDaysAgo: 100,
    configs: {
      development: config("off", serve("on")),
      staging: config("off", serve("off"), { rules: [staffRule("rule-staff", "on")] }),
      production: config("off", serve("off"), {
        targets: [{ variation: "on", values: ["user-ops-contractor-31", "user-ops-contractor-58"] }],
        rules: [staffRule("rule-staff", "on")],
      }),
    },
  },
  {
    key: "beta-program-access",
    name: "Beta programme access",
    description: "Shows the beta features page and the feedback widget to beta testers.",
    kind: "permission",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["beta"],
    lifecycle: "active",
    owner: "editor",
    clientVisible: true,
    createdDaysAgo: 80,
    configs: everywhere(
      config("off", serve("off"), {
        rules: [rule("rule-beta", "Beta testers", [inSegment("beta-testers")], serve("on"))],
      }),
    ),
  },
  {
    key: "wholesale-pricing",
    name: "Wholesale pricing",
    description: "Shows tiered wholesale prices to enterprise accounts and approved resellers.",
    kind: "permission",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["pricing", "b2b"],
    lifecycle: "active",
    owner: "approver",
    clientVisible: true,
    createdDaysAgo: 65,
    configs: everywhere(
      config("off", serve("off"), {
        targets: [{ variation: "on", values: ["user-reseller-0042", "user-reseller-0107"] }],
        rules: [rule("rule-enterprise", "Enterprise accounts", [attr("plan", "in", "enterprise")], serve("on"))],
      }),
    ),
  },
  {
    key: "gift-card-admin",
    name: "Gift card administration",
    description: "Issue and void gift cards from the support console. Named people only.",
    kind: "permission",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["admin", "support"],
    lifecycle: "active",
    owner: "admin",
    clientVisible: false,
    createdDaysAgo: 45,
    configs: {
      development: config("off", serve("on")),
      staging: config("off", serve("off"), { targets: [{ variation: "on", values: ["user-support-lead-3", "user-finance-12"] }] }),
      production: config("off", serve("off"), { targets: [{ variation: "on", values: ["user-support-lead-3", "user-finance-12"] }] }),
    },
  },
  {
    key: "support-impersonation",
    name: "Support impersonation",
    description: "Lets support staff view the storefront as a customer (read-only). Staff in the US, Canada and the UK.",
    kind: "permission",
    valueType: "boolean",
    variations: BOOLEAN,
    tags: ["admin", "support", "security"],
    lifecycle: "active",
    owner: "admin",
    clientVisible: false,
    createdDaysAgo: 55,
    configs: {
      development: config("off", serve("on")),
      staging: config("off", serve("off"), { rules: [staffRule("rule-staff", "on")] }),
      production: config("off", serve("off"), {
        rules: [
          rule(
            "rule-staff-us-ca-uk",
            "Support staff in the US, Canada and the UK",
            [inSegment("internal-staff"), attr("country", "in", "US", "CA", "GB")],
            serve("on"),
          ),
        ],
      }),
    },
  },
];
