# aftersales-bot — the README's steps in three stages: the bundle is compiled once in a builder
# (npm ci with dev tools, `npm run build` → dist/), the runtime image gets production deps and the
# compiled dist/ only (no TypeScript, no tsx) and runs as a non-root user. Redis runs as its own
# service (docker-compose.yml) with REDIS_URL.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts ./scripts
RUN npm ci --no-audit --no-fund
COPY src ./src
COPY handlers ./handlers
COPY jobs ./jobs
COPY corpus ./corpus
COPY knowledge ./knowledge
RUN node scripts/build.mjs

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prepare.sh ./scripts/prepare.sh
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json ./
COPY bin ./bin
COPY config ./config
COPY corpus ./corpus
COPY knowledge ./knowledge
COPY src/channels/simulator/page.html ./src/channels/simulator/page.html
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "bin/aftersales.js", "start"]
