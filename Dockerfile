# One image for the API, the worker, the carrier sandbox and the migrations; docker-compose.yml
# picks the command.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.json ./
COPY domain domain
COPY lib lib
COPY workflows workflows
COPY carriers carriers
COPY marketplaces marketplaces
COPY activities activities
COPY workers workers
COPY api api
COPY sandbox sandbox
COPY db db
USER node
CMD ["node_modules/.bin/tsx", "api/main.ts"]
