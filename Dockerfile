# aftersales-bot — the same steps as the README (npm ci, then `aftersales start`), in two stages:
# dependencies are installed once in a builder, the runtime image gets production deps only and
# runs as a non-root user. Redis runs as its own service (docker-compose.yml) with REDIS_URL.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json ./
COPY bin ./bin
COPY src ./src
COPY handlers ./handlers
COPY jobs ./jobs
COPY config ./config
COPY corpus ./corpus
COPY knowledge ./knowledge
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
CMD ["node", "bin/aftersales.js", "start"]
