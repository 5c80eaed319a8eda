export const id = 962;
export const ids = [962];
export const modules = {

/***/ 962:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  buildAndScan: () => (/* binding */ buildAndScan)
});

// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(760);
// EXTERNAL MODULE: ./src/lib/errors.ts
var lib_errors = __webpack_require__(268);
;// CONCATENATED MODULE: ./src/build-and-scan-image/build-args.ts
/**
 * The argv for the build. `buildx` loads a single-platform image into the engine so it can be
 * inspected and scanned before anything is pushed; a multi-platform build cannot be loaded and
 * is pushed by the builder instead. `docker` is the classic `docker build` with the same tags,
 * labels, build args and target.
 */
function buildArgv(plan) {
    // The classic builder keeps the containers of failed steps unless told otherwise.
    const argv = plan.builder === 'buildx' ? ['buildx', 'build', '--progress=plain'] : ['build', '--force-rm'];
    argv.push('--file', plan.dockerfile);
    for (const reference of plan.references)
        argv.push('--tag', reference);
    for (const [key, value] of Object.entries(plan.labels))
        argv.push('--label', `${key}=${value}`);
    for (const [key, value] of Object.entries(plan.buildArgs))
        argv.push('--build-arg', `${key}=${value}`);
    if (plan.target !== undefined)
        argv.push('--target', plan.target);
    if (plan.platforms.length > 0)
        argv.push('--platform', plan.platforms.join(','));
    argv.push('--iidfile', plan.iidFile);
    if (plan.builder === 'buildx') {
        if (plan.metadataFile !== undefined)
            argv.push('--metadata-file', plan.metadataFile);
        if (plan.ghaCacheScope !== undefined) {
            argv.push('--cache-from', `type=gha,scope=${plan.ghaCacheScope}`);
            argv.push('--cache-to', `type=gha,mode=max,scope=${plan.ghaCacheScope}`);
        }
        argv.push(plan.pushFromBuilder ? '--push' : '--load');
    }
    argv.push(plan.context);
    return argv;
}
/**
 * Whether the runner gives this job the GitHub Actions cache service that buildx's `type=gha`
 * cache talks to: a runtime token and a cache URL (the v1 or the v2 service).
 */
function hasGhaCacheService(env) {
    return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL));
}
/** A cache scope per image, so two images built in one repository do not evict each other. */
function cacheScope(image) {
    return image.replace(/[^a-z0-9._-]+/g, '-');
}

;// CONCATENATED MODULE: ./src/build-and-scan-image/build-output.ts
const strip = (line) => line.replace(/\r/g, '').trimEnd();
/**
 * Finds the step a failed build stopped at, from its output. BuildKit names it as
 * `> [stage 3/5] RUN ...:` and points at `Dockerfile:12`; the classic builder prints
 * `Step 3/12 : RUN ...` before each step and `The command '...' returned a non-zero code: N`.
 */
function failedStep(output, instructions) {
    const lines = output.split('\n').map(strip);
    const solveError = [...lines].reverse().find((line) => /^(ERROR|error): /.test(line));
    const buildkitStep = [...lines].reverse().find((line) => /^ > \[[^\]]+\] /.test(line));
    const pointer = [...lines]
        .reverse()
        .map((line) => /^(?:\S*\/)?[^\s/:]*Dockerfile[^\s:]*:(\d+)$/i.exec(line.trim()))
        .find((match) => match !== null);
    if (buildkitStep !== undefined || (solveError !== undefined && pointer)) {
        const step = buildkitStep?.replace(/^ > \[[^\]]+\] /, '').replace(/:$/, '') ?? '';
        const line = pointer ? Number(pointer[1]) : lineOf(step, instructions);
        const instruction = instructions.find((i) => i.line === line);
        return {
            line,
            step: step || (instruction ? `${instruction.keyword} ${instruction.args}` : ''),
            reason: (solveError ?? '').replace(/^(ERROR|error): (failed to (solve|build): )?/, '').trim(),
        };
    }
    const steps = lines.map((line) => /^Step (\d+)\/\d+ : (.*)$/.exec(line)).filter((m) => m !== null);
    const last = steps[steps.length - 1];
    if (last) {
        const index = Number(last[1]) - 1;
        const reason = [...lines].reverse().find((line) => /returned a non-zero code|^(ERROR|error)|failed to/i.test(line)) ??
            '';
        return { line: instructions[index]?.line, step: last[2] ?? '', reason: reason.trim() };
    }
    return undefined;
}
function lineOf(step, instructions) {
    const normalized = step.replace(/\s+/g, ' ').trim();
    if (normalized === '')
        return undefined;
    return instructions.find((i) => `${i.keyword} ${i.args}`.replace(/\s+/g, ' ').trim() === normalized)?.line;
}

// EXTERNAL MODULE: ./src/lib/exec.ts + 1 modules
var lib_exec = __webpack_require__(506);
;// CONCATENATED MODULE: ./src/build-and-scan-image/docker.ts


/** Whether the buildx plugin is installed: `docker buildx version` exits 0. */
async function hasBuildx(exec) {
    try {
        return (await exec('docker', ['buildx', 'version'])).exitCode === 0;
    }
    catch {
        return false;
    }
}
/** The current buildx builder's driver (`docker`, `docker-container`, ...); undefined if unknown. */
async function buildxDriver(exec) {
    const result = await exec('docker', ['buildx', 'inspect']);
    if (result.exitCode !== 0)
        return undefined;
    return /^Driver:\s*(\S+)/m.exec(result.stdout)?.[1];
}
async function inspectImage(exec, image) {
    const result = await exec('docker', ['image', 'inspect', '--format', '{{json .}}', image]);
    if (result.exitCode !== 0) {
        throw new lib_errors/* OperationError */.OK(`Cannot inspect the built image ${image}: ${(0,lib_exec/* tail */.RT)(result.stderr, 1)}`);
    }
    const raw = JSON.parse(result.stdout);
    return { id: raw.Id ?? image, size: raw.Size ?? 0, user: raw.Config?.User ?? '' };
}
/** Whether an image user is root: empty, `root` or uid 0 (with any group). */
function isRootUser(user) {
    return /^(|root|0)(:.*)?$/.test(user.trim());
}
/** The manifest digest `docker push` reports (`<tag>: digest: sha256:… size: N`). */
function pushedDigest(output) {
    const matches = [...output.matchAll(/digest: (sha256:[0-9a-f]{64})/g)];
    return matches[matches.length - 1]?.[1];
}
/** Pushes one reference and returns the digest the registry stored it under. */
async function pushReference(exec, reference, log) {
    const result = await exec('docker', ['push', reference], { onStdout: chunkLogger(log) });
    if (result.exitCode !== 0) {
        throw new lib_errors/* OperationError */.OK(`docker push ${reference} failed: ${(0,lib_exec/* tail */.RT)(result.stderr || result.stdout, 1)}`);
    }
    const digest = pushedDigest(result.stdout);
    if (digest === undefined)
        throw new lib_errors/* OperationError */.OK(`docker push ${reference} did not report a digest`);
    return digest;
}
/** Turns streamed chunks into whole log lines. */
function chunkLogger(log) {
    let pending = '';
    return (chunk) => {
        pending += chunk;
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines)
            log(line.replace(/\r$/, ''));
    };
}

;// CONCATENATED MODULE: ./src/build-and-scan-image/dockerfile.ts
const HEREDOC = /<<(-?)\s*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
/** Splits a Dockerfile into instructions, honouring the escape directive, comments and heredocs. */
function parseInstructions(text) {
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    let escape = '\\';
    // Parser directives are only recognised at the very top, before any instruction or blank line.
    for (const line of lines) {
        const directive = /^#\s*([a-zA-Z]+)\s*=\s*(.+?)\s*$/.exec(line);
        if (!directive)
            break;
        if (directive[1]?.toLowerCase() === 'escape' && (directive[2] === '`' || directive[2] === '\\')) {
            escape = directive[2];
        }
    }
    const result = [];
    for (let i = 0; i < lines.length; i++) {
        const first = lines[i] ?? '';
        const trimmed = first.trim();
        if (trimmed === '' || trimmed.startsWith('#'))
            continue;
        const start = i;
        let text = '';
        let current = first;
        for (;;) {
            const stripped = current.replace(/\s+$/, '');
            if (stripped.endsWith(escape) && i + 1 < lines.length) {
                text += `${stripped.slice(0, -1)} `;
                i += 1;
                // Comment lines inside a continuation are dropped, as Docker does.
                while (i < lines.length && /^\s*#/.test(lines[i] ?? ''))
                    i += 1;
                current = lines[i] ?? '';
                continue;
            }
            text += stripped;
            break;
        }
        const match = /^\s*([A-Za-z]+)\s*(.*)$/.exec(text);
        if (!match)
            continue;
        const keyword = (match[1] ?? '').toUpperCase();
        const args = (match[2] ?? '').trim();
        // Skip heredoc bodies (RUN <<EOF ... EOF, COPY <<EOF /file ... EOF) so they are not parsed as instructions.
        for (const heredoc of args.matchAll(HEREDOC)) {
            const strip = heredoc[1] === '-';
            const terminator = heredoc[3] ?? '';
            while (i + 1 < lines.length) {
                i += 1;
                const body = lines[i] ?? '';
                if ((strip ? body.replace(/^\t+/, '') : body) === terminator)
                    break;
            }
        }
        result.push({ keyword, args, line: start + 1, endLine: i + 1 });
    }
    return result;
}
/**
 * Substitutes `$NAME`, `${NAME}`, `${NAME:-default}` and `${NAME:+alt}` from `values`. Returns
 * undefined when a referenced variable has no value and no default.
 */
function substitute(text, values) {
    let unresolved = false;
    const result = text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, op, word, bare) => {
        const name = braced ?? bare ?? '';
        const value = values[name];
        const set = value !== undefined && value !== '';
        if (op === '-')
            return set ? value : (word ?? '');
        if (op === '+')
            return set ? (word ?? '') : '';
        if (value === undefined) {
            unresolved = true;
            return '';
        }
        return value;
    });
    return unresolved ? undefined : result;
}
/** `NAME=value` pairs of an ARG or ENV instruction (legacy `ENV NAME value` included). */
function assignments(keyword, args) {
    const words = splitWords(args);
    if (keyword === 'ENV' && words.length > 0 && !(words[0] ?? '').includes('=')) {
        // Legacy form: ENV NAME the rest is the value
        const name = words[0] ?? '';
        return [{ name, value: args.slice(args.indexOf(name) + name.length).trim() }];
    }
    return words.map((word) => {
        const eq = word.indexOf('=');
        if (eq < 0)
            return { name: word, value: undefined };
        return { name: word.slice(0, eq), value: unquote(word.slice(eq + 1)) };
    });
}
/** Splits on whitespace outside quotes. */
function splitWords(text) {
    const words = [];
    let current = '';
    let quoteChar = '';
    for (let i = 0; i < text.length; i++) {
        const ch = text[i] ?? '';
        if (quoteChar) {
            if (ch === '\\' && i + 1 < text.length) {
                current += ch + (text[i + 1] ?? '');
                i += 1;
                continue;
            }
            if (ch === quoteChar)
                quoteChar = '';
            current += ch;
        }
        else if (ch === '"' || ch === "'") {
            quoteChar = ch;
            current += ch;
        }
        else if (/\s/.test(ch)) {
            if (current)
                words.push(current);
            current = '';
        }
        else {
            current += ch;
        }
    }
    if (current)
        words.push(current);
    return words;
}
function unquote(value) {
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
        return value.slice(1, -1);
    }
    return value;
}
/**
 * Parses a Dockerfile into stages. Base images are resolved with the global ARG defaults,
 * overridden by the build args the build will pass, as the builder would.
 */
function parseDockerfile(text, buildArgs = {}) {
    const globalArgs = {};
    const stages = [];
    const instructions = [];
    for (const raw of parseInstructions(text)) {
        if (raw.keyword === 'FROM') {
            const words = splitWords(raw.args).filter((word) => !word.startsWith('--'));
            const baseAsWritten = words[0] ?? '';
            const name = words[1]?.toUpperCase() === 'AS' ? words[2]?.toLowerCase() : undefined;
            // Only ARGs declared before the first FROM can be used in FROM; a build arg overrides their default.
            const values = Object.fromEntries(Object.entries(globalArgs).map(([arg, fallback]) => [arg, buildArgs[arg] ?? fallback]));
            const base = substitute(baseAsWritten, values);
            const parentByName = stages.find((stage) => stage.name !== undefined && stage.name === base?.toLowerCase());
            const parentByIndex = /^\d+$/.test(base ?? '') ? stages[Number(base)] : undefined;
            const parent = (parentByName ?? parentByIndex)?.index;
            stages.push({
                index: stages.length,
                name,
                baseAsWritten,
                base,
                parent,
                line: raw.line,
                instructions: [],
            });
        }
        const stage = stages.length - 1;
        const instruction = { ...raw, stage };
        instructions.push(instruction);
        if (stage >= 0)
            stages[stage]?.instructions.push(instruction);
        else if (raw.keyword === 'ARG') {
            for (const { name, value } of assignments('ARG', raw.args))
                globalArgs[name] = value;
        }
    }
    return { instructions, stages, globalArgs };
}
/** The stage the build produces: the `target` stage, else the last one. */
function targetStage(dockerfile, target) {
    if (target === undefined)
        return dockerfile.stages[dockerfile.stages.length - 1];
    return dockerfile.stages.find((stage) => stage.name === target.toLowerCase());
}
/** A stage and the stages it builds on, nearest first: what the final image inherits. */
function stageChain(dockerfile, stage) {
    const chain = [];
    let current = stage;
    while (current !== undefined && !chain.includes(current)) {
        chain.push(current);
        current = current.parent === undefined ? undefined : dockerfile.stages[current.parent];
    }
    return chain;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
;// CONCATENATED MODULE: ./src/build-and-scan-image/github-context.ts

/** The GitHub context from the runner's GITHUB_* variables and the event payload (pure). */
function gitContextFrom(env, payload) {
    const event = (payload !== null && typeof payload === 'object' ? payload : {});
    const defaultBranch = event.repository?.default_branch;
    const prNumber = event.pull_request?.number ?? event.number;
    const headSha = event.pull_request?.head?.sha;
    const eventName = env.GITHUB_EVENT_NAME ?? '';
    const isPullRequest = eventName === 'pull_request' || eventName === 'pull_request_target';
    return {
        eventName,
        ref: env.GITHUB_REF ?? '',
        sha: env.GITHUB_SHA ?? '',
        repository: env.GITHUB_REPOSITORY ?? '',
        serverUrl: (env.GITHUB_SERVER_URL ?? 'https://github.com').replace(/\/+$/, ''),
        defaultBranch: typeof defaultBranch === 'string' && defaultBranch !== '' ? defaultBranch : undefined,
        pullRequest: isPullRequest && typeof prNumber === 'number' && Number.isInteger(prNumber) ? prNumber : undefined,
        headSha: isPullRequest && typeof headSha === 'string' ? headSha : undefined,
    };
}
/** Reads the event payload file the runner names in GITHUB_EVENT_PATH; {} when there is none. */
function readEventPayload(env) {
    const file = env.GITHUB_EVENT_PATH;
    if (!file)
        return {};
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
    }
    catch {
        return {};
    }
}

;// CONCATENATED MODULE: ./src/build-and-scan-image/labels.ts
/**
 * The OCI annotations every image should carry, so a running container can be traced back to
 * its source and commit: source, revision, created, version, title and url. Labels the user
 * gives win over these.
 */
function ociLabels(context, version, created, user) {
    const labels = {};
    const set = (key, value) => {
        if (value)
            labels[`org.opencontainers.image.${key}`] = value;
    };
    const url = context.repository ? `${context.serverUrl}/${context.repository}` : undefined;
    set('source', url);
    set('revision', context.headSha ?? context.sha);
    set('created', created.toISOString());
    set('version', version);
    set('title', context.repository.split('/').pop());
    set('url', url);
    return { ...labels, ...user };
}

;// CONCATENATED MODULE: ./src/build-and-scan-image/lint.ts

const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|(^|_)(API|ACCESS|PRIVATE)?_?KEYS?($|_)/i;
const ROOT_USER = /^(root|0)(:.*)?$/;
/**
 * Our policy for a production image, no external linter needed: the image must not run as
 * root, should say how to check its health, must build on a pinned base, and must not bake
 * secrets into its layers or metadata. Multi-stage aware: only what the final image inherits
 * counts for USER and HEALTHCHECK, every stage's base is checked for pinning.
 */
function lintDockerfile(text, { buildArgs = {}, target } = {}) {
    const dockerfile = parseDockerfile(text, buildArgs);
    const findings = [];
    if (dockerfile.stages.length === 0) {
        return [{ rule: 'no-from', level: 'error', line: 1, message: 'The Dockerfile has no FROM instruction' }];
    }
    findings.push(...baseImageFindings(dockerfile));
    findings.push(...finalStageFindings(dockerfile, target));
    findings.push(...instructionFindings(dockerfile));
    findings.push(...buildArgFindings(dockerfile, buildArgs));
    return findings.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}
function baseImageFindings(dockerfile) {
    const findings = [];
    for (const stage of dockerfile.stages) {
        if (stage.parent !== undefined)
            continue;
        const line = stage.line;
        if (stage.base === undefined) {
            findings.push({
                rule: 'pinned-base',
                level: 'warning',
                line,
                message: `Base image '${stage.baseAsWritten}' uses a build argument with no default; its pinning cannot be checked`,
            });
            continue;
        }
        const base = stage.base;
        if (base.toLowerCase() === 'scratch')
            continue;
        const shown = base === stage.baseAsWritten ? `'${base}'` : `'${base}' (from '${stage.baseAsWritten}')`;
        const [name, digest] = base.split('@');
        const lastPart = (name ?? '').split('/').pop() ?? '';
        const tag = lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
        if (digest !== undefined)
            continue;
        if (tag === undefined) {
            findings.push({
                rule: 'pinned-base',
                level: 'error',
                line,
                message: `Base image ${shown} has no tag, so it means 'latest' and changes under you; pin a version tag (and ideally a digest)`,
            });
        }
        else if (tag === 'latest') {
            findings.push({
                rule: 'pinned-base',
                level: 'error',
                line,
                message: `Base image ${shown} uses the 'latest' tag, which changes under you; pin a version tag (and ideally a digest)`,
            });
        }
        else {
            findings.push({
                rule: 'base-digest',
                level: 'notice',
                line,
                message: `Base image ${shown} is pinned by tag only; add @sha256:… for a reproducible build`,
            });
        }
    }
    return findings;
}
function finalStageFindings(dockerfile, target) {
    const final = targetStage(dockerfile, target);
    if (final === undefined) {
        return [
            { rule: 'target', level: 'error', line: 1, message: `The Dockerfile has no stage named '${target}'` },
        ];
    }
    const findings = [];
    const chain = stageChain(dockerfile, final);
    // The nearest USER / HEALTHCHECK wins: the final stage's own, else the stage it builds on.
    const inherited = (keyword) => {
        for (const stage of chain) {
            const found = stage.instructions.filter((i) => i.keyword === keyword).pop();
            if (found)
                return found;
        }
        return undefined;
    };
    const user = inherited('USER');
    const stageName = final.name ? `'${final.name}'` : `${final.index + 1}`;
    if (user === undefined) {
        findings.push({
            rule: 'non-root-user',
            level: 'error',
            line: final.line,
            message: `The final stage (${stageName}) never sets USER, so the container runs as root; add a non-root USER`,
        });
    }
    else {
        const name = (substitute(user.args, {}) ?? user.args).trim();
        if (ROOT_USER.test(name)) {
            findings.push({
                rule: 'non-root-user',
                level: 'error',
                line: user.line,
                message: `The final image runs as '${name}'; switch to a non-root USER`,
            });
        }
    }
    const health = inherited('HEALTHCHECK');
    if (health === undefined || /^NONE\b/i.test(health.args)) {
        findings.push({
            rule: 'healthcheck',
            level: 'warning',
            line: health?.line ?? final.line,
            message: `The final stage (${stageName}) has no HEALTHCHECK, so the engine cannot tell a hung app from a healthy one`,
        });
    }
    return findings;
}
/** A secret passed with --build-arg is recorded in the image history of every RUN that sees it. */
function buildArgFindings(dockerfile, buildArgs) {
    const findings = [];
    for (const [name, value] of Object.entries(buildArgs)) {
        if (!SECRET_NAME.test(name) || value.trim() === '')
            continue;
        const declared = dockerfile.instructions.find((i) => i.keyword === 'ARG' && assignments('ARG', i.args).some((a) => a.name === name));
        findings.push({
            rule: 'secret-build-arg',
            level: 'warning',
            line: declared?.line ?? 1,
            message: `Build argument ${name} looks like a secret: build args are kept in the image history; use a build secret (RUN --mount=type=secret) instead`,
        });
    }
    return findings;
}
function instructionFindings(dockerfile) {
    const findings = [];
    for (const instruction of dockerfile.instructions) {
        const { keyword, args, line } = instruction;
        if (keyword === 'ADD') {
            const sources = args.split(/\s+/).filter((word) => !word.startsWith('--'));
            const url = sources.slice(0, -1).find((word) => /^(https?|git):\/\/|^git@/i.test(word));
            if (url !== undefined) {
                findings.push({
                    rule: 'add-url',
                    level: 'warning',
                    line,
                    message: `ADD of a URL (${url}) downloads unverified content at build time; use RUN with a checksum check, or COPY`,
                });
            }
        }
        if (keyword === 'ENV' || keyword === 'ARG') {
            for (const { name, value } of assignments(keyword, args)) {
                if (!SECRET_NAME.test(name) || value === undefined || value.trim() === '')
                    continue;
                if (/^\$\{?[A-Za-z_][A-Za-z0-9_]*(:-)?\}?$/.test(value.trim()))
                    continue;
                findings.push({
                    rule: 'secret-in-env',
                    level: 'error',
                    line,
                    message: `${keyword} ${name} has a literal value: it is stored in the image for anyone who pulls it; pass secrets at run time or with a build secret mount`,
                });
            }
        }
        if (keyword === 'RUN' && /\bapt-get\b[^;&|]*\binstall\b/.test(args)) {
            const cleansLists = /rm\s+-[a-z]*r[a-z]*f?[a-z]*\s+[^;&|]*\/var\/lib\/apt\/lists/.test(args);
            const cacheMount = /--mount=[^\s]*target=\/var\/lib\/apt/.test(args);
            if (!cleansLists && !cacheMount) {
                findings.push({
                    rule: 'apt-lists',
                    level: 'notice',
                    line,
                    message: 'apt-get install without removing /var/lib/apt/lists/* in the same RUN leaves the package lists in the layer',
                });
            }
        }
    }
    return findings;
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(161);
;// CONCATENATED MODULE: ./src/build-and-scan-image/sarif.ts
const LEVEL = {
    CRITICAL: 'error',
    HIGH: 'error',
    MEDIUM: 'warning',
    LOW: 'note',
    UNKNOWN: 'note',
};
/** A score for code scanning's severity ranking when the advisory carries no CVSS score. */
const FALLBACK_SCORE = {
    CRITICAL: 9.5,
    HIGH: 8.0,
    MEDIUM: 5.5,
    LOW: 2.0,
    UNKNOWN: 0.0,
};
/**
 * A SARIF 2.1.0 log for GitHub code scanning: one rule per vulnerability ID, one result per
 * vulnerable package. CRITICAL/HIGH are errors, MEDIUM warnings, LOW/UNKNOWN notes; the CVSS
 * score becomes `security-severity`, which code scanning ranks alerts by.
 */
function toSarif(findings, { image, location, trivyVersion }) {
    const rules = [];
    const ruleIndex = new Map();
    const results = [];
    for (const v of findings) {
        const score = (v.score ?? FALLBACK_SCORE[v.severity]).toFixed(1);
        if (!ruleIndex.has(v.id)) {
            ruleIndex.set(v.id, rules.length);
            rules.push({
                id: v.id,
                name: 'OsPackageVulnerability',
                shortDescription: { text: v.title ?? v.id },
                fullDescription: { text: v.description ?? v.title ?? v.id },
                defaultConfiguration: { level: LEVEL[v.severity] },
                ...(v.url ? { helpUri: v.url } : {}),
                help: {
                    text: `Vulnerability ${v.id}\nSeverity: ${v.severity}\nPackage: ${v.pkg}\nFixed Version: ${v.fixed ?? 'none'}\nLink: ${v.url ?? ''}`,
                    markdown: `**Vulnerability ${v.id}**\n| Severity | Package | Fixed Version | Link |\n| --- | --- | --- | --- |\n|${v.severity}|${v.pkg}|${v.fixed ?? 'none'}|${v.url ? `[${v.id}](${v.url})` : ''}|`,
                },
                properties: {
                    'security-severity': score,
                    precision: 'very-high',
                    tags: ['vulnerability', 'security', v.severity],
                },
            });
        }
        results.push({
            ruleId: v.id,
            ruleIndex: ruleIndex.get(v.id),
            level: LEVEL[v.severity],
            message: {
                text: `Package: ${v.pkg}\nInstalled Version: ${v.installed}\nVulnerability ${v.id}\nSeverity: ${v.severity}\nFixed Version: ${v.fixed ?? 'none'}\nImage: ${image}\nTarget: ${v.target}${v.url ? `\nLink: ${v.url}` : ''}`,
            },
            locations: [
                {
                    physicalLocation: {
                        artifactLocation: { uri: location.uri, uriBaseId: 'ROOTPATH' },
                        region: { startLine: location.line, startColumn: 1, endLine: location.line, endColumn: 1 },
                    },
                    message: { text: `${image}: ${v.pkg}@${v.installed}` },
                },
            ],
        });
    }
    return {
        version: '2.1.0',
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        runs: [
            {
                tool: {
                    driver: {
                        name: 'Trivy',
                        fullName: 'Trivy Vulnerability Scanner',
                        informationUri: 'https://github.com/aquasecurity/trivy',
                        ...(trivyVersion ? { version: trivyVersion } : {}),
                        rules,
                    },
                },
                results,
                originalUriBaseIds: { ROOTPATH: { uri: 'file:///' } },
                properties: { imageName: image },
            },
        ],
    };
}

;// CONCATENATED MODULE: ./src/build-and-scan-image/scan.ts



/** The one Trivy invocation: every vulnerability, unfiltered, as JSON; filtering is ours. */
function trivyArgv({ image, reportFile, cacheDir }) {
    return [
        'image',
        '--scanners',
        'vuln',
        '--format',
        'json',
        '--output',
        reportFile,
        '--cache-dir',
        cacheDir,
        '--quiet',
        image,
    ];
}
/** Runs Trivy and returns the JSON report it wrote. */
async function runTrivy(exec, run) {
    const result = await exec(run.trivy, trivyArgv(run));
    if (result.exitCode !== 0) {
        throw new lib_errors/* OperationError */.OK(`Trivy could not scan ${run.image} (exit code ${result.exitCode}): ${(0,lib_exec/* tail */.RT)(result.stderr || result.stdout, 1)}`);
    }
    try {
        return await (0,promises_.readFile)(run.reportFile, 'utf8');
    }
    catch {
        throw new lib_errors/* OperationError */.OK(`Trivy exited 0 but wrote no report at ${run.reportFile}`);
    }
}
/** `Version: 0.67.2` from `trivy --version`, best effort (only for the SARIF tool entry). */
async function trivyVersion(exec, trivy) {
    try {
        const result = await exec(trivy, ['--version']);
        return /Version:\s*v?(\S+)/.exec(result.stdout)?.[1];
    }
    catch {
        return undefined;
    }
}

// EXTERNAL MODULE: ./src/build-and-scan-image/trivy-db-cache.ts
var trivy_db_cache = __webpack_require__(370);
// EXTERNAL MODULE: ./src/build-and-scan-image/trivy-report.ts
var trivy_report = __webpack_require__(433);
;// CONCATENATED MODULE: ./src/build-and-scan-image/trivyignore.ts
/**
 * Parses a `.trivyignore` file as Trivy does: one ID per line, `#` comments (whole-line or
 * after the ID), and an optional `exp:YYYY-MM-DD` after the ID after which the entry no longer
 * applies.
 */
function parseTrivyIgnore(text, today) {
    const ids = new Set();
    const expired = [];
    const lines = text.split(/\r?\n/);
    lines.forEach((raw, index) => {
        const line = raw.replace(/#.*$/, '').trim();
        if (line === '')
            return;
        const [id = '', ...rest] = line.split(/\s+/);
        const exp = rest.map((word) => /^exp:(\d{4}-\d{2}-\d{2})$/.exec(word)).find((m) => m !== null);
        if (exp) {
            const expires = exp[1] ?? '';
            // As in Trivy: the entry stops applying once the expiry date (midnight UTC) has passed.
            if (Date.parse(`${expires}T00:00:00Z`) < today.getTime()) {
                expired.push({ id, expires, line: index + 1 });
                return;
            }
        }
        ids.add(id);
    });
    return { ids, expired };
}

;// CONCATENATED MODULE: ./src/build-and-scan-image/scan-step.ts










/**
 * Scans the image with Trivy once and derives everything from that report: the counts after
 * ignore-unfixed and the ignore file, the SARIF file, the outputs, and the gate.
 */
async function scan(deps, inputs, paths, work, image, facts) {
    const { io, exec } = deps;
    await io.group(`Scan ${image} with Trivy`, async () => {
        const log = (line) => io.info(line);
        const trivy = paths.trivy ?? (await deps.installTrivy(inputs.trivyVersion, log));
        const cacheDir = (0,external_node_path_.join)((0,external_node_os_.homedir)(), '.cache', 'trivy');
        await (0,promises_.mkdir)(cacheDir, { recursive: true });
        const dbPaths = [(0,external_node_path_.join)(cacheDir, 'db')];
        const key = (0,trivy_db_cache/* trivyDbCacheKey */.A)(deps.now(), process.platform);
        const cache = deps.dbCache((line) => io.info(line));
        const restored = await cache.restore(dbPaths, key, [key.replace(/\d{4}-\d{2}-\d{2}$/, '')]);
        if (restored)
            io.info(`Trivy database restored from cache ${restored}`);
        const reportFile = (0,external_node_path_.join)(work, 'trivy-report.json');
        const report = await runTrivy(exec, { trivy, image, reportFile, cacheDir });
        if (restored !== key)
            await cache.save(dbPaths, key);
        const ignore = paths.trivyignore
            ? parseTrivyIgnore(await (0,promises_.readFile)(paths.trivyignore, 'utf8'), deps.now())
            : { ids: new Set(), expired: [] };
        for (const entry of ignore.expired) {
            io.warning(`Ignore entry ${entry.id} expired on ${entry.expires}; it is counted again`, {
                file: (0,external_node_path_.relative)(paths.workspace, paths.trivyignore ?? ''),
                startLine: entry.line,
            });
        }
        const assessment = (0,trivy_report/* assess */.no)((0,trivy_report/* parseTrivyReport */.Qg)(report), { ignoreUnfixed: inputs.ignoreUnfixed, ignore });
        const failures = (0,trivy_report/* gateFailures */.XN)(assessment.counts, inputs.severityThreshold);
        const passed = failures === 0;
        facts.scan = { assessment, threshold: inputs.severityThreshold, passed };
        const sarifFile = (0,external_node_path_.resolve)(paths.workspace, inputs.sarifFile ?? (0,external_node_path_.join)(work, 'trivy-results.sarif'));
        const final = targetStage(parseDockerfile(await (0,promises_.readFile)(paths.dockerfile, 'utf8'), inputs.buildArgs), inputs.target);
        const sarif = toSarif(assessment.findings, {
            image,
            location: { uri: paths.dockerfileShown, line: final?.line ?? 1 },
            trivyVersion: await trivyVersion(exec, trivy),
        });
        await (0,promises_.writeFile)(sarifFile, JSON.stringify(sarif, null, 2));
        const counts = JSON.stringify(assessment.counts);
        io.info(`Vulnerabilities: ${counts}`);
        io.setOutput('vulnerabilities', counts);
        io.setOutput('scan-passed', String(passed));
        io.setOutput('sarif-file', sarifFile);
        io.setOutput('report-file', reportFile);
        if (!passed) {
            throw new lib_errors/* OperationError */.OK(`${failures} vulnerabilit${failures === 1 ? 'y' : 'ies'} at or above ${inputs.severityThreshold} (${(0,trivy_report/* severitiesAtOrAbove */.Zx)(inputs.severityThreshold)
                .map((s) => `${s} ${assessment.counts[s]}`)
                .join(', ')}) in ${image}; fix them, or raise 'severity-threshold' / add IDs to 'trivyignore'`);
        }
    });
}

// EXTERNAL MODULE: ./src/build-and-scan-image/size.ts
var size = __webpack_require__(253);
;// CONCATENATED MODULE: ./src/lib/summary.ts
/** Escapes a value for a markdown table cell. */
function cell(value) {
    const text = value === undefined || value === null ? '' : String(value);
    return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}
/** A markdown table; cells are escaped. */
function table(headers, rows) {
    const head = `| ${headers.map(cell).join(' | ')} |`;
    const rule = `| ${headers.map(() => '---').join(' | ')} |`;
    const body = rows.map((row) => `| ${headers.map((_, i) => cell(row[i])).join(' | ')} |`);
    return [head, rule, ...body].join('\n') + '\n';
}
function heading(text, level = 3) {
    return `${'#'.repeat(level)} ${text}\n\n`;
}
/** A collapsible block, for long lists a reader may want to open. */
function details(summaryText, body) {
    return `<details><summary>${cell(summaryText)}</summary>\n\n${body}\n</details>\n`;
}
/** Inline code in a table cell, safe for backticks in the value. */
function code(value) {
    return value.includes('`') ? `\`\` ${value} \`\`` : `\`${value}\``;
}

;// CONCATENATED MODULE: ./src/build-and-scan-image/summary.ts



function summaryMarkdown(facts) {
    let md = heading(`Image ${facts.image}`);
    const rows = [
        ['Tags', facts.references.map(code).join('<br>')],
        ['Builder', facts.builder],
    ];
    if (facts.imageId)
        rows.push(['Image ID', code(facts.imageId)]);
    if (facts.size !== undefined) {
        rows.push([
            'Size',
            `${(0,size/* formatSize */.X)(facts.size)}${facts.maxSize ? ` (limit ${(0,size/* formatSize */.X)(facts.maxSize)})` : ''}`,
        ]);
    }
    if (facts.digest)
        rows.push(['Pushed digest', code(facts.digest)]);
    md += table(['', ''], rows) + '\n';
    if (facts.lint) {
        const { file, findings } = facts.lint;
        md += heading('Dockerfile policy', 4);
        md +=
            findings.length === 0
                ? 'No findings.\n\n'
                : table(['Level', 'Line', 'Rule', 'Finding'], findings.map((f) => [f.level, `${file}:${f.line}`, f.rule, f.message])) + '\n';
    }
    if (facts.scan) {
        const { assessment, threshold, passed } = facts.scan;
        md += heading(`Vulnerabilities: ${passed ? 'passed' : 'failed'} (threshold ${threshold})`, 4);
        md += table([...trivy_report/* SEVERITIES */.oC], [trivy_report/* SEVERITIES */.oC.map((s) => String(assessment.counts[s]))]);
        const notes = [];
        if (assessment.unfixedIgnored > 0)
            notes.push(`${assessment.unfixedIgnored} without a fix not counted`);
        if (assessment.ignored > 0)
            notes.push(`${assessment.ignored} ignored by the ignore file`);
        if (notes.length > 0)
            md += `\n${notes.join('; ')}.\n`;
        const top = (0,trivy_report/* topFindings */.Y8)(assessment.findings);
        if (top.length > 0) {
            const shown = top.length < assessment.findings.length
                ? `Top ${top.length} of ${assessment.findings.length}`
                : 'Findings';
            md += `\n${heading(shown, 5)}`;
            md += table(['ID', 'Package', 'Installed → fixed', 'Severity'], top.map((v) => [
                v.url ? `[${v.id}](${v.url})` : v.id,
                v.pkg,
                `${v.installed} → ${v.fixed ?? 'no fix'}`,
                v.severity,
            ]));
        }
    }
    return md;
}

// EXTERNAL MODULE: ./src/build-and-scan-image/tags.ts
var tags = __webpack_require__(489);
;// CONCATENATED MODULE: ./src/build-and-scan-image/pipeline.ts














/**
 * Everything after the inputs are valid: tags and labels, lint, build, size gate, scan, push,
 * and the job summary whatever happened. Loaded only once the inputs passed, so a
 * misconfigured step fails without loading any of it.
 */
async function buildAndScan(deps, inputs, paths) {
    const { io, env } = deps;
    const dockerfileText = await (0,promises_.readFile)(paths.dockerfile, 'utf8');
    const dockerfile = parseDockerfile(dockerfileText, inputs.buildArgs);
    if (inputs.target !== undefined && targetStage(dockerfile, inputs.target) === undefined) {
        throw new lib_errors/* ConfigurationError */.j1(`Input 'target' names stage '${inputs.target}', which ${paths.dockerfileShown} does not define`);
    }
    const context = gitContextFrom(env, readEventPayload(env));
    const derived = (0,tags/* deriveTags */.hj)(context);
    const references = (0,tags/* imageReferences */.Ef)(inputs.image, inputs.tags, derived.tags);
    if (references.length === 0) {
        throw new lib_errors/* ConfigurationError */.j1("No tags: set 'tags', or run where GITHUB_SHA / GITHUB_REF give some");
    }
    const labels = ociLabels(context, derived.version, deps.now(), inputs.labels);
    io.setOutput('image', inputs.image);
    io.setOutput('tags', references.join('\n'));
    const facts = {
        image: inputs.image,
        references,
        builder: inputs.builder,
        maxSize: inputs.maxSize,
    };
    try {
        await pipeline(deps, inputs, paths, dockerfileText, dockerfile.instructions, references, labels, facts);
    }
    finally {
        await io.appendSummary(summaryMarkdown(facts));
    }
}
async function pipeline(deps, inputs, paths, dockerfileText, instructions, references, labels, facts) {
    const { io, env, exec } = deps;
    if (inputs.lint) {
        const findings = await io.group('Lint Dockerfile', async () => lint(io, inputs, paths, dockerfileText));
        facts.lint = { file: paths.dockerfileShown, findings };
        const errors = findings.filter((f) => f.level === 'error');
        if (errors.length > 0) {
            const first = errors[0];
            throw new lib_errors/* OperationError */.OK(`${paths.dockerfileShown} breaks ${errors.length} policy rule(s), first at line ${first.line}: ${first.message}`);
        }
    }
    const buildxInstalled = await hasBuildx(exec);
    const builder = chooseBuilder(inputs.builder, buildxInstalled);
    facts.builder = builder;
    const work = await (0,promises_.mkdtemp)((0,external_node_path_.join)(paths.temp, 'build-and-scan-'));
    const iidFile = (0,external_node_path_.join)(work, 'iid');
    const multiPlatform = inputs.platforms.length > 1;
    let ghaCacheScope;
    if (inputs.cache && builder === 'buildx' && hasGhaCacheService(env)) {
        const driver = await buildxDriver(exec);
        if (driver === 'docker') {
            io.notice('The GitHub Actions build cache needs a buildx builder with the docker-container driver (docker/setup-buildx-action); building without it');
        }
        else
            ghaCacheScope = cacheScope(inputs.image);
    }
    const argv = buildArgv({
        builder,
        dockerfile: paths.dockerfile,
        context: paths.context,
        references,
        labels,
        buildArgs: inputs.buildArgs,
        target: inputs.target,
        platforms: inputs.platforms,
        iidFile,
        metadataFile: builder === 'buildx' ? (0,external_node_path_.join)(work, 'metadata.json') : undefined,
        ghaCacheScope,
        pushFromBuilder: multiPlatform,
    });
    await io.group(`Build ${references[0]} (${builder})`, async () => {
        io.info(`docker ${argv.join(' ')}`);
        const log = chunkLogger((line) => io.info(line));
        const result = await exec('docker', argv, {
            cwd: paths.workspace,
            // Without buildx the CLI refuses DOCKER_BUILDKIT=1; the classic builder is what is there.
            env: buildxInstalled ? env : { ...env, DOCKER_BUILDKIT: '0' },
            onStdout: log,
            onStderr: log,
        });
        if (result.exitCode !== 0) {
            const step = failedStep(`${result.stdout}\n${result.stderr}`, instructions);
            if (step?.line !== undefined) {
                io.error(`Build failed: ${step.reason || `exit code ${result.exitCode}`}`, {
                    file: paths.dockerfileShown,
                    startLine: step.line,
                    title: 'docker build',
                });
            }
            const where = step?.line !== undefined ? `${paths.dockerfileShown}:${step.line}` : paths.dockerfileShown;
            throw new lib_errors/* OperationError */.OK(step
                ? `Build failed at ${where} (${step.step}): ${step.reason || `exit code ${result.exitCode}`}`
                : `Build failed (exit code ${result.exitCode}): ${result.stderrTail.split('\n').pop() ?? ''}`);
        }
    });
    if (multiPlatform) {
        await multiPlatformResult(deps, inputs, paths, work, references, facts);
        return;
    }
    const imageId = (await (0,promises_.readFile)(iidFile, 'utf8')).trim();
    const info = await inspectImage(exec, imageId);
    facts.imageId = info.id;
    facts.size = info.size;
    io.setOutput('image-id', info.id);
    io.setOutput('size', String(info.size));
    io.info(`Built ${info.id} (${(0,size/* formatSize */.X)(info.size)}), runs as ${info.user || 'root'}`);
    if (isRootUser(info.user)) {
        io.warning(`The image runs as root (${info.user || 'no USER set'}); set a non-root USER in the final stage`, {
            file: paths.dockerfileShown,
        });
    }
    if (inputs.maxSize !== undefined && info.size > inputs.maxSize) {
        throw new lib_errors/* OperationError */.OK(`Image is ${(0,size/* formatSize */.X)(info.size)} (${info.size} bytes), over 'max-size' ${(0,size/* formatSize */.X)(inputs.maxSize)} (${inputs.maxSize} bytes)`);
    }
    if (inputs.scan)
        await scan(deps, inputs, paths, work, references[0], facts);
    if (inputs.push) {
        await io.group('Push', async () => {
            let digest = '';
            for (const reference of references) {
                digest = await pushReference(exec, reference, (line) => io.info(line));
            }
            facts.digest = digest;
            io.setOutput('digest', digest);
        });
    }
}
function chooseBuilder(wanted, available) {
    if (wanted === 'docker')
        return 'docker';
    if (wanted === 'buildx' && !available) {
        throw new lib_errors/* OperationError */.OK("builder is 'buildx' but 'docker buildx version' fails: install buildx (docker/setup-buildx-action) or use 'builder: auto'");
    }
    return available ? 'buildx' : 'docker';
}
function lint(io, inputs, paths, text) {
    const findings = lintDockerfile(text, { buildArgs: inputs.buildArgs, target: inputs.target });
    for (const finding of findings) {
        io[finding.level](finding.message, {
            file: paths.dockerfileShown,
            startLine: finding.line,
            title: `Dockerfile policy: ${finding.rule}`,
        });
    }
    const count = (level) => findings.filter((f) => f.level === level).length;
    io.info(`${paths.dockerfileShown}: ${count('error')} error(s), ${count('warning')} warning(s), ${count('notice')} notice(s)`);
    return findings;
}
async function multiPlatformResult(deps, inputs, paths, work, references, facts) {
    const metadata = JSON.parse(await (0,promises_.readFile)((0,external_node_path_.join)(work, 'metadata.json'), 'utf8'));
    const digest = String(metadata['containerimage.digest'] ?? '');
    const imageId = (await (0,promises_.readFile)((0,external_node_path_.join)(work, 'iid'), 'utf8')).trim();
    facts.imageId = imageId;
    facts.digest = digest;
    deps.io.setOutput('image-id', imageId);
    deps.io.setOutput('digest', digest);
    if (inputs.scan)
        await scan(deps, inputs, paths, work, `${inputs.image}@${digest}`, facts);
}


/***/ })

};
