/**
 * Used when nothing else is configured outside production; `npm run token` and `npm start` sign
 * with the same. A module of its own, free of imports, so those scripts need not load the gateway.
 */
export const DEV_CLIENT_AUTH = {
  secret: 'dev-only-secret-change-me-0123456789abcdef',
  issuer: 'http://localhost:4000/dev-issuer',
} as const;
