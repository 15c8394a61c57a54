# One image for every service; docker-compose picks the service with `command`.
# Node 26 (Active LTS). graphql-shield is patched at install by scripts/postinstall.
FROM node:26-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
COPY scripts/postinstall ./scripts/postinstall
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:26-bookworm-slim AS runtime
ENV NODE_ENV=production APOLLO_TELEMETRY_DISABLED=true
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY package.json tsconfig.json ./
COPY schema ./schema
COPY gateway/src ./gateway/src
COPY subgraphs ./subgraphs
USER node
# Overridden per service in docker-compose.yml.
CMD ["node", "--import", "tsx", "gateway/src/main.ts"]
