#!/usr/bin/env bash
# The Dockerfile's build and run steps, performed without Docker, in a temporary folder outside the
# repository: the same files copied (Dockerfile COPY lines + .dockerignore), the same production install
# from the lockfile, the server started as the image's CMD with the image's environment, then /health, the
# image's HEALTHCHECK command, /ready and a SIGTERM that must end the process with status 0.
#
# Everything about the image is read from the Dockerfile through scripts/image-plan.ts; this script only
# says how to perform each step. Its `step "…"` names are the Dockerfile's `# step:` names, in the same
# order (test/deploy/dockerfile-steps.test.ts checks it); `check "…"` lines are verifications that have no
# Dockerfile instruction.
#
# Usage: bash scripts/docker-steps.sh [--keep]
#   --keep   leave the temporary folder (app/ is the image's /app, data/ its /data) and print its path
#
# Runs as root or as any user. As root it starts the server as the image's USER (uid 10001) with setpriv,
# so files the server cannot read or a data folder it cannot write fail here as they would in the image.
# Exits non-zero with a line saying which step failed.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
plan_tool="$repo/scripts/image-plan.ts"
keep=false
for arg in "$@"; do
  case "$arg" in
    --keep) keep=true ;;
    -h | --help)
      sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "docker-steps: unknown option $arg (see --help)" >&2
      exit 2
      ;;
  esac
done

started_at=$SECONDS
steps_done=0
checks_done=0
current=""
server_pid=""
work=""
server_log=""

step() {
  current="$1"
  steps_done=$((steps_done + 1))
  printf '\n==> step %d: %s\n' "$steps_done" "$current"
}
check() {
  current="$1"
  checks_done=$((checks_done + 1))
  printf '\n--> check: %s\n' "$current"
}
fail() {
  echo "docker-steps: FAILED at \"$current\": $*" >&2
  if [ -n "$server_log" ] && [ -s "$server_log" ]; then
    echo "--- last lines of the server's output ($server_log) ---" >&2
    tail -n 25 "$server_log" >&2
  fi
  exit 1
}
cleanup() {
  local status=$?
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -KILL "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$work" ] && [ -d "$work" ]; then
    if [ "$keep" = true ]; then echo "docker-steps: kept $work"; else rm -rf "$work"; fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Reads one field of the Dockerfile's plan into the array plan_values, one element per line.
plan_values=()
read_plan() {
  local out
  out="$(bun "$plan_tool" lines "$1")" || fail "could not read $1 from the Dockerfile"
  mapfile -t plan_values <<<"$out"
}

# The HTTP status of a GET, or 000 when nothing answers.
http_status() {
  PROBE_URL="$1" bun -e '
    fetch(process.env.PROBE_URL, { signal: AbortSignal.timeout(3000) })
      .then((r) => console.log(r.status), () => console.log("000"))'
}

free_port() {
  bun -e 'const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    console.log(s.port); s.stop(true);'
}

check "bun on this machine is the image's bun"
command -v bun >/dev/null 2>&1 || fail "bun is not on the PATH"
read_plan bun-version
image_bun=("${plan_values[@]}")
if [ "$(bun --version)" != "${image_bun[0]}" ]; then
  fail "the image runs bun ${image_bun[0]} but this machine has $(bun --version); install bun@${image_bun[0]}"
fi
echo "bun ${image_bun[0]}"

work="$(mktemp -d "${TMPDIR:-/tmp}/zekka-docker-steps.XXXXXX")"
app="$work/app"
mkdir -p "$app"
chmod 755 "$work" "$app"
server_log="$work/server.log"
echo "working in $work (app/ is the image's /app)"

step "copy manifests"
bun "$plan_tool" copy "$current" "$app" || fail "copying the manifests failed"

step "install production dependencies"
read_plan install
install_cmd=("${plan_values[@]}")
echo "+ ${install_cmd[*]}"
(cd "$app" && "${install_cmd[@]}") || fail "${install_cmd[*]} failed (is bun.lock in step with the package.json files?)"

step "create the runtime user and data folder"
read_plan user
image_user=("${plan_values[@]}")
read -r uid gid <<<"${image_user[0]}"
read_plan volumes
volumes=("${plan_values[@]}")
for volume in "${volumes[@]}"; do mkdir -p "$work$volume"; done
run_as=()
if [ "$(id -u)" -eq 0 ]; then
  if ! command -v setpriv >/dev/null 2>&1; then
    echo "setpriv is missing: the server runs as root here, not as uid $uid"
  elif ! setpriv --reuid "$uid" --regid "$gid" --clear-groups -- bun --version >/dev/null 2>&1; then
    echo "uid $uid cannot run $(command -v bun): the server runs as root here, not as uid $uid"
  else
    for volume in "${volumes[@]}"; do chown "$uid:$gid" "$work$volume"; done
    run_as=(setpriv --reuid "$uid" --regid "$gid" --clear-groups --)
    echo "the server will run as uid $uid:$gid, like the image's USER; ${volumes[*]} owned by it"
  fi
else
  echo "not root: the server runs as uid $(id -u) instead of the image's $uid"
fi

step "copy production dependencies"
# The Dockerfile copies the deps stage's /app into the runtime stage; here both stages share one folder.
echo "the deps stage's /app is $app already"

step "copy sources"
bun "$plan_tool" copy "$current" "$app" || fail "copying the sources failed"

check "every run-time import of the sources resolves in the production install"
bun "$plan_tool" check-imports "$app" ||
  fail "a module the server imports is not in the production install (a devDependency or an optional peer?)"

step "set the environment"
read_plan env
image_env=("${plan_values[@]}")
port="$(free_port)"
jwt_secret="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
server_env=("PATH=$(dirname "$(command -v bun)"):/usr/local/bin:/usr/bin:/bin" "HOME=/nonexistent")
for pair in "${image_env[@]}"; do
  name="${pair%%=*}"
  value="${pair#*=}"
  for volume in "${volumes[@]}"; do
    if [ "$value" = "$volume" ]; then value="$work$volume"; fi
  done
  if [ "$name" = PORT ]; then value="$port"; fi
  server_env+=("$name=$value")
  echo "$name=$value"
done
echo "JWT_SECRET=<${#jwt_secret} random characters> (required with NODE_ENV=production)"

check "without JWT_SECRET the server refuses to start"
read_plan command
server_cmd=("${plan_values[@]}")
set +e
refusal="$(cd "$app" && timeout 30 "${run_as[@]}" env -i "${server_env[@]}" "${server_cmd[@]}" 2>&1)"
refusal_status=$?
set -e
if [ "$refusal_status" -eq 0 ] || [ "$refusal_status" -eq 124 ] || [[ "$refusal" != *JWT_SECRET* ]]; then
  fail "expected a quick exit naming JWT_SECRET, got status $refusal_status: $refusal"
fi
echo "exit $refusal_status: $(printf '%s' "$refusal" | tr '\n' ' ')"
server_env+=("JWT_SECRET=$jwt_secret")

step "start the server"
echo "+ ${server_cmd[*]}   (in $app, port $port)"
(cd "$app" && exec "${run_as[@]}" env -i "${server_env[@]}" "${server_cmd[@]}") >"$server_log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
deadline=$((SECONDS + 60))
until [ "$(http_status "$base/health")" = 200 ]; do
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited before /health answered"
  [ "$SECONDS" -lt "$deadline" ] || fail "/health did not answer 200 within 60 s"
  sleep 0.2
done
echo "GET /health: 200 after $((SECONDS - started_at)) s"

step "check health"
read_plan healthcheck
health_cmd=("${plan_values[@]}")
(cd "$app" && "${run_as[@]}" env -i "${server_env[@]}" "${health_cmd[@]}") ||
  fail "the Dockerfile's HEALTHCHECK command exited non-zero"
echo "HEALTHCHECK command: exit 0"

check "/ready answers 200"
status="$(http_status "$base/ready")"
[ "$status" = 200 ] || fail "GET /ready answered $status"
echo "GET /ready: 200"

check "the migrations created the SQLite database in the data volume"
database="$(find "$work${volumes[0]}" -maxdepth 1 -name '*.db' -size +0 | head -n 1)"
[ -n "$database" ] || fail "no SQLite file in ${volumes[0]} (DATA_DIR)"
echo "$database"

check "SIGTERM ends the server with status 0"
read_plan stop-signal
stop_signal=("${plan_values[@]}")
kill -s "${stop_signal[0]#SIG}" "$server_pid"
deadline=$((SECONDS + 15))
while kill -0 "$server_pid" 2>/dev/null; do
  [ "$SECONDS" -lt "$deadline" ] || fail "the server was still running 15 s after ${stop_signal[0]}"
  sleep 0.1
done
if wait "$server_pid"; then exit_status=0; else exit_status=$?; fi
server_pid=""
[ "$exit_status" -eq 0 ] || fail "the server exited with status $exit_status after ${stop_signal[0]}"
echo "exited 0"

printf '\ndocker-steps: passed (%d steps, %d checks) in %d s\n' "$steps_done" "$checks_done" "$((SECONDS - started_at))"
