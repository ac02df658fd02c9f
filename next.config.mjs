/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships a wasm build and data files that must be loaded from node_modules at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pglite-prisma-adapter"],
  poweredByHeader: false,
  typedRoutes: false,
};

export default nextConfig;
