# syntax=docker/dockerfile:1
# One image for every pardot-x3 process: the six services, the three sandboxes and the operations CLI.
# The container's command chooses what runs:
#   docker run IMAGE apps/mdm/dist/main.js                       a service (listens on $PORT)
#   docker run IMAGE apps/ops-cli/dist/main.js topics create     an operations command
# Build from the repository root: docker build -t pardot-x3:local .

# Node.js 24 LTS on Debian 13 (trixie), slim; keep in step with package.json "engines".
ARG NODE_VERSION=24.21.0

# 1. Only the manifests (every package.json, the lock file, .npmrc), so that the dependency layers
#    below are rebuilt when dependencies change, not on every source edit.
FROM node:${NODE_VERSION}-trixie-slim AS manifests
WORKDIR /src
COPY . .
RUN mkdir -p /manifests \
 && find . -name package.json -not -path '*/node_modules/*' -exec cp --parents '{}' /manifests/ ';' \
 && cp package-lock.json .npmrc /manifests/

# 2. Build every project (Nx runs SWC per project, libraries first; see docs/decisions/0002).
FROM node:${NODE_VERSION}-trixie-slim AS build
ENV NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false CI=true
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npx nx run-many -t build --outputStyle=static
# What runs: each workspace's package.json and dist/ (and assets/ where a library has them), the root
# package.json ("type": "module"), the Avro schemas and topic catalog, the mapping templates.
RUN mkdir -p /runtime \
 && cp package.json /runtime/ \
 && for dir in apps/* libs/*/* tests/*; do \
      if [ -f "$dir/package.json" ]; then \
        mkdir -p "/runtime/$dir" && cp "$dir/package.json" "/runtime/$dir/"; \
        for part in dist assets; do \
          if [ -d "$dir/$part" ]; then cp -R "$dir/$part" "/runtime/$dir/"; fi; \
        done; \
      fi; \
    done \
 && for dir in schemas config; do \
      if [ -d "$dir" ]; then cp -R "$dir" /runtime/; fi; \
    done

# 3. Production dependencies only. No install script runs: none is needed at run time.
FROM node:${NODE_VERSION}-trixie-slim AS production-dependencies
WORKDIR /app
COPY --from=manifests /manifests/ ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund

# 4. The runtime: Node.js, production node_modules (workspace packages are links to ./apps and ./libs,
#    see docs/decisions/0002), the built code. Owned by root, run as the unprivileged user `node`
#    (uid 1000), so the process cannot change its own code; the root file system can be read-only.
FROM node:${NODE_VERSION}-trixie-slim AS runtime
LABEL org.opencontainers.image.title="pardot-x3" \
      org.opencontainers.image.description="Kafka-native integration hub: Salesforce Account Engagement (Pardot), Salesforce CRM and Sage X3" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/pardot-x3/pardot-x3"
# glibc's allocator as the local launchers set it (SERVICE_MALLOC_ENVIRONMENT in libs/ops/local-pipeline;
# docs/decisions/0132): two arenas, large blocks returned to the system when freed
ENV MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072
ENV NODE_ENV=production
WORKDIR /app
COPY --from=production-dependencies /app/node_modules ./node_modules
COPY --from=build /runtime/ ./
USER node
EXPOSE 8080
ENTRYPOINT ["node"]
CMD ["apps/ops-cli/dist/main.js", "--help"]
