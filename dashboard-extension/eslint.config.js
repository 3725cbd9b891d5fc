// ESLint (flat config): typescript-eslint's recommended rules and React's rules of hooks, both
// as errors. `npm run lint` (part of `make dashboard-test`) allows no warnings either.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // generated (scripts/codegen.mjs) or built
  { ignores: ["node_modules/", "src/generated/", "../saleor_qb_sync/", "screenshots/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      // the code's convention: a leading underscore names what is left out on purpose
      // (`const { canEdit: _c, ...rest } = settings`)
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["src/**/*.{ts,tsx}"],
    languageOptions: { globals: globals.browser },
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["scripts/**/*.mjs", "e2e/**/*.mjs", "*.config.{js,ts}"],
    languageOptions: { globals: globals.node },
  },
  {
    files: ["e2e/**/*.mjs"],
    // the e2e script also runs code in the page (page.evaluate)
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
  },
);
