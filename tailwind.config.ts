import type { Config } from "tailwindcss";

// Tailwind 4 reads its theme from CSS; this file is loaded from app/globals.css via `@config`
// so the design tokens live in one typed place.
const config: Config = {
  darkMode: "class",
  content: ["./app/**/*.{ts,tsx}", "./components/**/*.{ts,tsx}"],
  theme: {
    extend: {
      fontFamily: { sans: ["'Inter Variable'", "ui-sans-serif", "system-ui", "sans-serif"] },
    },
  },
};

export default config;
