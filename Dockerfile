# syntax=docker/dockerfile:1
#
# The Zekka server image: `docker build -t zekka .` from the repository root, then
#   docker run -p 3000:3000 -e JWT_SECRET="$(openssl rand -base64 48)" -v zekka-data:/data zekka
# (SQLite in the /data volume), or with DATABASE_URL / REDIS_URL for Postgres and Redis: see
# docs/deployment.md.
#
# Docker cannot run on our own machines, so scripts/docker-steps.sh performs these steps outside Docker, in
# a temporary folder, and CI runs it. The script reads the files to copy, the install command, the
# environment, the user, the healthcheck and the CMD from this file; every instruction below sits under a
# "# step:" comment whose name the script uses too (test/deploy/dockerfile-steps.test.ts keeps them equal).
# Only the instructions the script understands may appear: FROM, WORKDIR, COPY (no wildcards: Docker
# flattens them), RUN, ENV, VOLUME, EXPOSE, USER, HEALTHCHECK, STOPSIGNAL and CMD.

FROM oven/bun:1.4.5 AS deps
WORKDIR /app

# step: copy manifests
# Only the manifests and the lockfile, so the install layer below is rebuilt only when dependencies change.
# examples/* and bench are workspaces too, and bun.lock lists them, but their manifests are left out on
# purpose: bun skips a workspace that is missing on disk ("skipped 3 workspaces listed in bun.lock but not
# on disk") and still checks every other one against the lockfile, so the frozen install stays exact, and
# their own dependencies (autocannon, Eden) stay out of the image. Every package under packages/ must be
# listed here; the test fails when one is missing.
COPY package.json bun.lock bunfig.toml ./
COPY packages/core/package.json packages/core/
COPY packages/adapters/package.json packages/adapters/
COPY packages/server/package.json packages/server/

# step: install production dependencies
RUN bun install --frozen-lockfile --production

FROM oven/bun:1.4.5 AS runtime
WORKDIR /app

# step: create the runtime user and data folder
# A fixed uid (not the base image's "bun", uid 1000) so volume ownership and Kubernetes' runAsUser agree on
# every host. The application files stay owned by root: the server can read them but not change them.
RUN groupadd --system --gid 10001 zekka \
  && useradd --system --uid 10001 --gid zekka --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin zekka \
  && mkdir -p /data \
  && chown zekka:zekka /data

# step: copy production dependencies
COPY --from=deps /app ./

# step: copy sources
# Sources and migrations only: .dockerignore keeps tests, the conformance suites, docs, bench and examples
# out, and the migrations are applied at start from /app/migrations.
COPY packages/core/src packages/core/src
COPY packages/adapters/src packages/adapters/src
COPY packages/server/src packages/server/src
COPY migrations migrations

# step: set the environment
# NODE_ENV=production makes JWT_SECRET mandatory (at least 32 bytes): the container refuses to start without
# it. DATA_DIR holds the SQLite file when DATABASE_URL is unset. USER is numeric so that Kubernetes can check
# runAsNonRoot against it.
ENV NODE_ENV=production DATA_DIR=/data PORT=3000 HOST=0.0.0.0
VOLUME /data
EXPOSE 3000
USER 10001:10001

# step: start the server
# The server applies pending migrations, then listens. On SIGTERM /ready answers 503, the listener closes
# while in-flight requests finish (up to 30 s), and the process exits 0.
STOPSIGNAL SIGTERM
CMD ["bun", "packages/server/src/cli.ts", "serve"]

# step: check health
# Bun itself makes the request: the image has no curl or wget. The port follows PORT when it is overridden.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["bun", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
