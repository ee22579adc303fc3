# Minimal image for now (production hardening comes with the production-readiness issue).
# Same steps as the README: npm ci, then run the bot; Redis is a separate service (REDIS_URL).
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
ENV HOST=0.0.0.0 PORT=3000 NODE_ENV=production
USER node
EXPOSE 3000
CMD ["node", "bin/aftersales.js", "start"]
