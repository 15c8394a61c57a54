# One image for every service; docker-compose picks the service with `command`.
# Node 20 (not 24: graphql-shield's ESM build imports a helper Node 23+ removed).
FROM node:20-bookworm-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
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
