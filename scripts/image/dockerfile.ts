/**
 * @module dockerfile
 * Reads the repository's Dockerfile into an {@link ImagePlan}: the steps (each instruction sits under a
 * `# step: <name>` comment), the files each `COPY` takes from the build context, the install command, the
 * environment, the user, the healthcheck and the command. `scripts/docker-steps.sh` follows this plan
 * outside Docker, so the Dockerfile stays the one place that says what the image holds and how it starts.
 *
 * Only the instructions the script can mirror are accepted; anything else throws with its line number, so a
 * Dockerfile change the script would silently skip fails instead.
 */

export interface DockerInstruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined. */
  args: string;
  /** 1-based line of the keyword. */
  line: number;
  stage: string;
  /** The `# step:` it sits under; undefined for a stage's `FROM` and `WORKDIR`. */
  step: string | undefined;
}

export interface DockerStep {
  name: string;
  stage: string;
  instructions: DockerInstruction[];
}

export interface ImageCopy {
  step: string;
  stage: string;
  /** `--from=<stage>`: copied from an earlier stage, not from the build context. */
  from: string | undefined;
  /** Paths in the build context (or in the `from` stage), as written. */
  sources: string[];
  /** Destination as written; relative ones are under the stage's WORKDIR. */
  dest: string;
}

export interface ImagePlan {
  /** The `FROM` image of every stage (one base image for all). */
  baseImage: string;
  /** The base image's tag, which is Bun's version in `oven/bun` images. */
  bunVersion: string;
  workdir: string;
  stages: string[];
  steps: DockerStep[];
  copies: ImageCopy[];
  /** argv of the first stage's single `RUN` (the production install). */
  install: string[];
  /** Shell commands of the last stage's `RUN`s (user and data folder); not run outside Docker. */
  runtimeSetup: string[];
  env: Record<string, string>;
  volumes: string[];
  exposedPorts: number[];
  user: { uid: number; gid: number };
  healthcheck: { options: Record<string, string>; command: string[] };
  stopSignal: string;
  command: string[];
}

const SUPPORTED = new Set([
  'FROM',
  'WORKDIR',
  'COPY',
  'RUN',
  'ENV',
  'VOLUME',
  'EXPOSE',
  'USER',
  'HEALTHCHECK',
  'STOPSIGNAL',
  'CMD',
]);
const STAGE_HEADER = new Set(['FROM', 'WORKDIR']);
const STEP_COMMENT = /^#\s*step:\s*(.+?)\s*$/;

/** Splits the Dockerfile into instructions, each tagged with its stage and step. */
export function readInstructions(text: string): DockerInstruction[] {
  const instructions: DockerInstruction[] = [];
  let stage = '';
  let step: string | undefined;
  let pending: { text: string; line: number } | undefined;
  const lines = text.split('\n');

  for (const [index, raw] of lines.entries()) {
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) {
      const marker = STEP_COMMENT.exec(trimmed);
      if (marker?.[1] !== undefined && pending === undefined) step = marker[1];
      continue; // Docker drops comment lines, even inside a continued instruction.
    }
    if (trimmed === '' && pending === undefined) continue;
    const continued = trimmed.endsWith('\\');
    const part = continued ? trimmed.slice(0, -1).trim() : trimmed;
    pending =
      pending === undefined
        ? { text: part, line: index + 1 }
        : { ...pending, text: `${pending.text} ${part}` };
    if (continued) continue;

    const keywordRaw = pending.text.split(/\s+/, 1)[0] ?? '';
    const keyword = keywordRaw.toUpperCase();
    const args = pending.text.slice(keywordRaw.length).trim();
    const line = pending.line;
    pending = undefined;
    if (!SUPPORTED.has(keyword)) {
      throw new Error(`Dockerfile line ${line}: ${keyword} is not one scripts/docker-steps.sh can mirror`);
    }
    if (keyword === 'FROM') {
      stage = /\bAS\s+(\S+)$/i.exec(args)?.[1] ?? String(instructions.length);
      step = undefined;
    } else if (step === undefined && !STAGE_HEADER.has(keyword)) {
      throw new Error(`Dockerfile line ${line}: ${keyword} is under no "# step:" comment`);
    }
    instructions.push({ keyword, args, line, stage, step: STAGE_HEADER.has(keyword) ? undefined : step });
  }
  return instructions;
}

/**
 * Reads the Dockerfile's text into the plan the script follows.
 * @throws Error naming the line of anything the script could not mirror.
 */
export function readImagePlan(text: string): ImagePlan {
  const instructions = readInstructions(text);
  const stages = [...new Set(instructions.map((instruction) => instruction.stage))];
  const firstStage = stages[0];
  const lastStage = stages.at(-1);
  if (firstStage === undefined || lastStage === undefined) throw new Error('Dockerfile: no FROM');
  const fail = (instruction: DockerInstruction, why: string): never => {
    throw new Error(`Dockerfile line ${instruction.line}: ${instruction.keyword} ${why}`);
  };
  const only = (keyword: string): DockerInstruction => {
    const found = instructions.filter((instruction) => instruction.keyword === keyword);
    const [one] = found;
    if (one === undefined || found.length > 1) throw new Error(`Dockerfile: expected exactly one ${keyword}`);
    if (one.stage !== lastStage) fail(one, 'must be in the last stage');
    return one;
  };

  const bases = new Set(instructions.filter((i) => i.keyword === 'FROM').map((i) => i.args.split(/\s+/)[0]));
  const [baseImage] = bases;
  if (baseImage === undefined || bases.size !== 1)
    throw new Error('Dockerfile: every stage must use one base image');
  const bunVersion = /^oven\/bun:(\d+\.\d+\.\d+)$/.exec(baseImage)?.[1];
  if (bunVersion === undefined)
    throw new Error(`Dockerfile: base image ${baseImage} is not oven/bun:<x.y.z>`);
  const workdirs = new Set(instructions.filter((i) => i.keyword === 'WORKDIR').map((i) => i.args));
  const [workdir] = workdirs;
  if (workdir === undefined || workdirs.size !== 1)
    throw new Error('Dockerfile: every stage must use one WORKDIR');

  const steps: DockerStep[] = [];
  for (const instruction of instructions) {
    if (instruction.step === undefined) continue;
    const last = steps.at(-1);
    if (last?.name === instruction.step && last.stage === instruction.stage)
      last.instructions.push(instruction);
    else steps.push({ name: instruction.step, stage: instruction.stage, instructions: [instruction] });
  }
  const names = steps.map((step) => step.name);
  if (new Set(names).size !== names.length)
    throw new Error(`Dockerfile: a step name is used twice (${names})`);

  const runs = instructions.filter((instruction) => instruction.keyword === 'RUN');
  const installs = runs.filter((run) => run.stage === firstStage);
  const [install] = installs;
  if (install === undefined || installs.length !== 1)
    throw new Error('Dockerfile: the first stage needs one RUN');
  if (!/^bun install(\s+--[a-z-]+)*$/.test(install.args)) fail(install, 'must be a plain "bun install --…"');

  const env: Record<string, string> = {};
  for (const instruction of instructions.filter((i) => i.keyword === 'ENV' && i.stage === lastStage)) {
    for (const pair of instruction.args.split(/\s+/)) {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=([^"'\s]*)$/.exec(pair);
      if (match?.[1] === undefined || match[2] === undefined) fail(instruction, `"${pair}" is not KEY=value`);
      else env[match[1]] = match[2];
    }
  }

  const user = /^(\d+)(?::(\d+))?$/.exec(only('USER').args);
  if (user?.[1] === undefined) {
    // Kubernetes can only enforce runAsNonRoot on a numeric USER, and the script needs the number too.
    throw new Error('Dockerfile: USER must be numeric (uid[:gid])');
  }
  const health = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+(\[.*\])$/s.exec(only('HEALTHCHECK').args);
  if (health?.[2] === undefined)
    throw new Error('Dockerfile: HEALTHCHECK must be [options] CMD ["exec", "form"]');
  const options = Object.fromEntries(
    (health[1] ?? '')
      .trim()
      .split(/\s+/)
      .filter((option) => option !== '')
      .map((option) => option.slice(2).split('=') as [string, string]),
  );

  return {
    baseImage,
    bunVersion,
    workdir,
    stages,
    steps,
    copies: instructions.filter((i) => i.keyword === 'COPY').map((i) => readCopy(i, fail)),
    install: install.args.split(/\s+/),
    runtimeSetup: runs.filter((run) => run.stage === lastStage).map((run) => run.args),
    env,
    volumes: instructions.filter((i) => i.keyword === 'VOLUME').flatMap((i) => i.args.split(/\s+/)),
    exposedPorts: instructions
      .filter((i) => i.keyword === 'EXPOSE')
      .flatMap((i) => i.args.split(/\s+/).map(Number)),
    user: { uid: Number(user[1]), gid: Number(user[2] ?? user[1]) },
    healthcheck: { options, command: execForm(only('HEALTHCHECK'), health[2], fail) },
    stopSignal: only('STOPSIGNAL').args,
    command: execForm(only('CMD'), only('CMD').args, fail),
  };
}

type Fail = (instruction: DockerInstruction, why: string) => never;

function readCopy(instruction: DockerInstruction, fail: Fail): ImageCopy {
  const words = instruction.args.split(/\s+/);
  let from: string | undefined;
  while (words[0]?.startsWith('--')) {
    const flag = words.shift() ?? '';
    if (flag.startsWith('--from=')) from = flag.slice('--from='.length);
    else if (!/^--(chown|chmod)=\S+$|^--link$/.test(flag)) fail(instruction, `flag ${flag} is not supported`);
  }
  const dest = words.pop();
  if (dest === undefined || words.length === 0) return fail(instruction, 'needs a source and a destination');
  // Docker flattens what a wildcard matches into the destination; the script would not.
  const wildcard = words.find((source) => /[*?[]/.test(source));
  if (wildcard !== undefined) fail(instruction, `source ${wildcard} has a wildcard; list the paths`);
  return { step: instruction.step ?? '', stage: instruction.stage, from, sources: words, dest };
}

function execForm(instruction: DockerInstruction, json: string, fail: Fail): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return fail(instruction, 'must use the JSON exec form');
  }
  if (!Array.isArray(parsed) || parsed.some((word) => typeof word !== 'string') || parsed.length === 0) {
    return fail(instruction, 'must be a non-empty JSON array of strings');
  }
  return parsed as string[];
}
