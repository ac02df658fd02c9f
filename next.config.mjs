/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a wasm build and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter"],
  poweredByHeader: false,
  typedRoutes: false,
  experimental: {
    // A segment's membership save carries up to 100,000 included and 100,000 excluded keys, the
    // same 16 MB the REST route accepts (MAX_SEGMENT_BODY_BYTES); the proxy must buffer it whole.
    serverActions: { bodySizeLimit: "16mb" },
    proxyClientMaxBodySize: "16mb",
  },
};

export default nextConfig;
