# One image for the API, the worker and the migration job (different commands).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# Dev dependencies too: TypeScript compiles dist/ below (NODE_ENV=production would leave them out).
RUN npm ci --no-audit --no-fund --include=dev
COPY . .
RUN PRISMA_SCHEMA_ENGINE_BINARY=/bin/true npx prisma generate \
 && npx tsx scripts/bundle-workflows.ts dist/workflow-bundle.js \
 && bash scripts/build.sh \
 && bash scripts/build-web.sh
ENV WORKFLOW_BUNDLE_PATH=/app/dist/workflow-bundle.js HOST=0.0.0.0 PORT=3000
EXPOSE 3000
# Compiled JavaScript with the memory settings of docs/performance.md (MALLOC_ARENA_MAX,
# NODE_MEMORY_FLAGS); the worker: bash scripts/run-compiled.sh worker.ts
CMD ["bash", "scripts/run-compiled.sh", "server.ts"]
