# One image for every service; docker-compose picks the service with `command`.
# Node 26 (Active LTS). graphql-shield is patched at install by scripts/postinstall.
FROM node:26-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts/postinstall ./scripts/postinstall
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.ts ./scripts/build.ts
COPY schema ./schema
COPY gateway/src ./gateway/src
COPY identity/src ./identity/src
COPY platform/src ./platform/src
COPY subgraphs ./subgraphs
# The demo token printer (docker-compose.yml's demo-tokens service) and what it imports.
COPY scripts/demoTokens.ts scripts/clientTokens.ts ./scripts/
# The operator's revocation command: `node dist/scripts/revoke.js --sub <user>`.
COPY scripts/revoke.ts ./scripts/
# dist/ holds the compiled services and the files they read (schema, migrations, seeds); no tests,
# no test helpers. `--build-arg SOURCE_MAPS=true` adds source maps (then run with --enable-source-maps).
ARG SOURCE_MAPS=false
RUN npm run build -- $([ "$SOURCE_MAPS" = true ] && echo --source-maps)

FROM node:26-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts/postinstall ./scripts/postinstall
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:26-bookworm-slim AS runtime
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=true DATA_DIR=/app/data
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The embedded database's fallback location (DATA_DIR), writable by the non-root user; mount a
# volume here to keep it. With DATABASE_URL it stays empty.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
# Asks the port the container's service listens on: PORT (gateway) or its own <NAME>_PORT.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 CMD ["node", "-e", "const e = process.env; \
const port = e.PORT ?? e.ORDERS_PORT ?? e.PAYMENTS_PORT ?? e.INVENTORY_PORT ?? 4000; \
fetch(`http://localhost:${port}/health`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Overridden per service in docker-compose.yml.
CMD ["node", "dist/gateway/src/main.js"]
