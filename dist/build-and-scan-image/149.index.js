export const id = 149;
export const ids = [149,600];
export const modules = {

/***/ 149:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  absolutePath: () => (/* binding */ absolutePath),
  cacheModeAllows: () => (/* binding */ cacheModeAllows),
  createTarArgs: () => (/* binding */ createTarArgs),
  defaultCacheDeps: () => (/* binding */ defaultCacheDeps),
  extractTarArgs: () => (/* binding */ extractTarArgs),
  manifestLines: () => (/* binding */ manifestLines),
  restoreCache: () => (/* binding */ restoreCache),
  saveCache: () => (/* binding */ saveCache),
  serviceFromEnv: () => (/* binding */ serviceFromEnv)
});

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(455);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(760);
// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __webpack_require__(268);
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(67);
var external_node_http_default = /*#__PURE__*/__webpack_require__.n(external_node_http_);
// EXTERNAL MODULE: external "node:https"
var external_node_https_ = __webpack_require__(708);
var external_node_https_default = /*#__PURE__*/__webpack_require__.n(external_node_https_);
;// CONCATENATED MODULE: ./src/lib/http.ts



/** A request that got no HTTP answer, classified so callers can say what happened. */
class HttpError extends errors/* OperationError */.OK {
    code;
    name = 'HttpError';
    constructor(code, message) {
        super(message);
        this.code = code;
    }
}
function classify(error, url, timeoutMs) {
    const where = `${url.protocol}//${url.host}`;
    switch (error.code) {
        case 'ECONNREFUSED':
            return new HttpError('refused', `connection refused by ${where}`);
        case 'ECONNRESET':
        case 'EPIPE':
        case 'UND_ERR_SOCKET':
            return new HttpError('reset', `connection reset by ${where}`);
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return new HttpError('dns', `cannot resolve host '${url.hostname}'`);
        case 'ETIMEDOUT':
        case 'ABORT_ERR':
            return new HttpError('timeout', `no response from ${where} within ${timeoutMs}ms`);
        default:
            if (error.code?.startsWith('ERR_TLS') ||
                /certificate|SSL|TLS/i.test(error.message) ||
                error.code?.includes('CERT')) {
                return new HttpError('tls', `TLS error from ${where}: ${error.message}`);
            }
            return new HttpError('network', `request to ${where} failed: ${error.message}`);
    }
}
const nodeHttpClient = (request) => new Promise((resolve, reject) => {
    const url = new URL(request.url);
    const transport = url.protocol === 'https:' ? (external_node_https_default()) : (external_node_http_default());
    const maxBody = request.maxBodyBytes ?? 1024 * 1024;
    let settled = false;
    const settle = (fn) => {
        if (settled)
            return;
        settled = true;
        clearTimeout(timer);
        fn();
    };
    const req = transport.request(url, {
        method: request.method ?? 'GET',
        headers: request.headers,
        rejectUnauthorized: !request.insecure,
        agent: false,
    }, (res) => {
        const chunks = [];
        let size = 0;
        res.on('data', (chunk) => {
            if (size < maxBody)
                chunks.push(chunk.subarray(0, maxBody - size));
            size += chunk.length;
        });
        res.on('error', (error) => settle(() => reject(classify(error, url, request.timeoutMs))));
        res.on('end', () => settle(() => {
            const headers = {};
            for (const [name, value] of Object.entries(res.headers)) {
                if (value !== undefined)
                    headers[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({
                status: res.statusCode ?? 0,
                headers,
                body: Buffer.concat(chunks).toString('utf8'),
                url: url.href,
            });
        }));
    });
    const timer = setTimeout(() => {
        settle(() => reject(new HttpError('timeout', `no response from ${url.protocol}//${url.host} within ${request.timeoutMs}ms`)));
        req.destroy();
    }, request.timeoutMs);
    req.on('error', (error) => settle(() => reject(classify(error, url, request.timeoutMs))));
    req.end(request.body);
});
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/**
 * Follows up to `max` redirects. 303 (and 301/302 after a POST) turn into a GET without a body,
 * as browsers and curl do. The timeout covers the whole chain.
 */
async function followRedirects(client, request, { max = 10, now = Date.now } = {}) {
    const started = now();
    let current = { ...request };
    for (let redirects = 0;; redirects += 1) {
        const remaining = request.timeoutMs - (now() - started);
        if (remaining <= 0)
            throw new HttpError('timeout', `no final response within ${request.timeoutMs}ms (${redirects} redirects)`);
        const response = await client({ ...current, timeoutMs: remaining });
        const location = response.headers.location;
        if (!REDIRECTS.has(response.status) || location === undefined)
            return { ...response, redirects };
        if (redirects >= max)
            throw new HttpError('network', `more than ${max} redirects, last to ${location}`);
        const next = new URL(location, response.url);
        const method = current.method ?? 'GET';
        const toGet = response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST');
        current = { ...current, url: next, ...(toGet ? { method: 'GET', body: undefined } : {}) };
    }
}
/** Whether an HTTP answer or error is worth retrying for an API client: 429, 5xx, no answer. */
function isTransientHttp(statusOrError) {
    if (typeof statusOrError === 'number')
        return statusOrError === 429 || statusOrError >= 500;
    return statusOrError instanceof HttpError && statusOrError.code !== 'dns' && statusOrError.code !== 'tls';
}
/** Seconds to wait from `Retry-After` (seconds or an HTTP date) or `RateLimit-Reset`; undefined if absent. */
function retryAfterMs(headers, now) {
    const retryAfter = headers['retry-after'];
    if (retryAfter !== undefined) {
        if (/^\d+(\.\d+)?$/.test(retryAfter.trim()))
            return Number(retryAfter) * 1000;
        const date = Date.parse(retryAfter);
        if (!Number.isNaN(date))
            return Math.max(0, date - now);
    }
    const reset = headers['ratelimit-reset'] ?? headers['x-ratelimit-reset'];
    if (reset !== undefined && /^\d+$/.test(reset.trim())) {
        const value = Number(reset);
        // Some APIs send seconds until reset, others an epoch second; a value past 2001 is an epoch.
        return value > 1_000_000_000 ? Math.max(0, value * 1000 - now) : value * 1000;
    }
    return undefined;
}

// EXTERNAL MODULE: ./src/lib/transfer.ts
var lib_transfer = __webpack_require__(600);
;// CONCATENATED MODULE: ./src/lib/cache-service.ts




// The GitHub Actions cache service v2 as @actions/cache 6 speaks it: three Twirp JSON calls to
// the results service, and the archive itself moved straight to and from Azure Blob Storage
// through the signed URLs those calls return. Written here because @actions/cache brings the
// Azure storage SDK and undici: about 2.4 MB of bundle for three POSTs, a PUT and a GET.
const SERVICE = 'github.actions.results.api.v1.CacheService';
/**
 * The `version` the service files an entry under: it keeps entries of different paths or
 * compression apart under one key. Computed exactly as @actions/cache computes it (same paths,
 * same salt), so an entry saved here is the entry @actions/cache would look up for gzip.
 */
function cacheVersion(paths, compression, platform) {
    const components = [...paths, compression];
    if (platform === 'win32')
        components.push('windows-only');
    components.push('1.0');
    return (0,external_node_crypto_.createHash)('sha256').update(components.join('|')).digest('hex');
}
/** Why a key would be refused by the service, or undefined; the same checks as @actions/cache. */
function keyProblem(key) {
    if (key.length > 512)
        return `key '${key.slice(0, 40)}…' is longer than 512 characters`;
    if (key.includes(','))
        return `key '${key}' contains a comma`;
    return undefined;
}
// Request bodies as the generated client serialises them: proto field names (snake_case),
// int64 as a string, empty repeated fields left out.
function downloadUrlRequest(key, restoreKeys, version) {
    return { key, ...(restoreKeys.length > 0 ? { restore_keys: [...restoreKeys] } : {}), version };
}
function createEntryRequest(key, version) {
    return { key, version };
}
function finalizeRequest(key, version, sizeBytes) {
    return { key, size_bytes: String(sizeBytes), version };
}
/** A response field under its proto name or its JSON name: protobuf JSON readers accept both. */
function field(body, proto) {
    const camel = proto.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
    return body[proto] ?? body[camel];
}
/** One Twirp call, retried on 5xx / 429 / no answer; the error names the method and the service's message. */
async function twirp(config, method, body) {
    const url = new URL(`/twirp/${SERVICE}/${method}`, config.baseUrl);
    for (let attempt = 1;; attempt += 1) {
        let problem;
        let transient;
        try {
            const response = await config.http({
                url,
                method: 'POST',
                headers: {
                    'content-type': 'application/json',
                    accept: 'application/json',
                    authorization: `Bearer ${config.token}`,
                    'user-agent': 'devops-actions-cache',
                },
                body: JSON.stringify(body),
                timeoutMs: config.timeoutMs,
            });
            if (response.status >= 200 && response.status < 300) {
                const parsed = JSON.parse(response.body || '{}');
                if (typeof parsed !== 'object' || parsed === null)
                    throw new errors/* OperationError */.OK('the answer is not a JSON object');
                return parsed;
            }
            let message = '';
            try {
                message = String(JSON.parse(response.body).msg ?? '');
            }
            catch {
                message = response.body.slice(0, 200);
            }
            problem = `HTTP ${response.status}${message ? `: ${message}` : ''}`;
            transient = isTransientHttp(response.status);
        }
        catch (error) {
            problem = (0,errors/* errorMessage */.gJ)(error);
            transient = error instanceof SyntaxError ? false : isTransientHttp(error);
        }
        if (!transient || attempt >= config.attempts) {
            throw new errors/* OperationError */.OK(`${method} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${problem}`);
        }
        await config.sleep(config.retryDelayMs * 1.5 ** (attempt - 1));
    }
}
/** The entry for the first key (exact, then by prefix) the service has, or undefined for a miss. */
async function lookupEntry(config, key, restoreKeys, version) {
    const answer = await twirp(config, 'GetCacheEntryDownloadURL', downloadUrlRequest(key, restoreKeys, version));
    const url = field(answer, 'signed_download_url');
    if (field(answer, 'ok') !== true || typeof url !== 'string' || url === '')
        return undefined;
    const matched = field(answer, 'matched_key');
    return { matchedKey: typeof matched === 'string' && matched !== '' ? matched : key, downloadUrl: url };
}
/** Reserves a key; returns the signed URL to upload to, or the service's reason for refusing. */
async function createEntry(config, key, version) {
    const answer = await twirp(config, 'CreateCacheEntry', createEntryRequest(key, version));
    const url = field(answer, 'signed_upload_url');
    if (field(answer, 'ok') === true && typeof url === 'string' && url !== '')
        return { uploadUrl: url };
    const message = field(answer, 'message');
    return {
        refused: typeof message === 'string' && message ? message : 'another job may be creating this cache',
    };
}
async function finalizeEntry(config, key, version, size) {
    const answer = await twirp(config, 'FinalizeCacheEntryUpload', finalizeRequest(key, version, size));
    if (field(answer, 'ok') !== true) {
        const message = field(answer, 'message');
        throw new errors/* OperationError */.OK(`FinalizeCacheEntryUpload refused: ${typeof message === 'string' && message ? message : 'another job may be finalizing this cache'}`);
    }
}
/** The Blob service version the requests are written against (the one @azure/storage-blob 12.31 sends). */
const AZURE_VERSION = '2026-02-06';
/**
 * Archives up to this size go up in one Put Blob, as the Azure SDK does for @actions/cache
 * (maxSingleShotSize 128 MiB); larger ones as 64 MiB blocks committed by one Put Block List.
 */
const SINGLE_SHOT_BYTES = 128 * 1024 * 1024;
const BLOCK_BYTES = 64 * 1024 * 1024;
/** Block ids must all have the same length before base64; a zero-padded index gives that. */
function blockId(index) {
    return Buffer.from(`block-${String(index).padStart(6, '0')}`).toString('base64');
}
function blockListXml(ids) {
    return `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join('')}</BlockList>`;
}
/** The signed URL with extra query parameters appended (the SAS stays as it is). */
function withQuery(url, params) {
    const parsed = new URL(url);
    for (const [name, value] of Object.entries(params))
        parsed.searchParams.set(name, value);
    return parsed.href;
}
/** Uploads a file to a signed blob URL. */
async function uploadBlob(transfer, url, file, size, options) {
    const { idleTimeoutMs, singleShotBytes = SINGLE_SHOT_BYTES, blockBytes = BLOCK_BYTES } = options;
    const put = async (target, headers, body) => {
        const response = await transfer({
            url: target,
            method: 'PUT',
            headers: { 'x-ms-version': AZURE_VERSION, ...headers },
            body,
            idleTimeoutMs,
        });
        if (response.status !== 201) {
            const code = /<Code>([^<]+)<\/Code>/.exec(response.body)?.[1];
            throw new errors/* OperationError */.OK(`Upload to ${(0,lib_transfer/* redactUrl */.B)(url)} failed: HTTP ${response.status}${code ? ` (${code})` : ''}`);
        }
    };
    if (size <= singleShotBytes) {
        await put(url, { 'x-ms-blob-type': 'BlockBlob', 'content-type': 'application/octet-stream' }, {
            file,
            start: 0,
            end: size,
        });
        return;
    }
    const ids = [];
    for (let start = 0, index = 0; start < size; start += blockBytes, index += 1) {
        const id = blockId(index);
        ids.push(id);
        await put(withQuery(url, { comp: 'block', blockid: id }), {}, { file, start, end: Math.min(size, start + blockBytes) });
    }
    await put(withQuery(url, { comp: 'blocklist' }), { 'content-type': 'application/xml' }, blockListXml(ids));
}
/** Downloads a signed blob URL to a file. */
async function downloadBlob(transfer, url, file, idleTimeoutMs) {
    const response = await transfer({
        url,
        toFile: file,
        idleTimeoutMs,
        headers: { 'x-ms-version': AZURE_VERSION },
    });
    if (response.status !== 200)
        throw new errors/* OperationError */.OK(`Download of ${(0,lib_transfer/* redactUrl */.B)(url)} failed: HTTP ${response.status}`);
}

// EXTERNAL MODULE: ./src/lib/exec.ts + 1 modules
var exec = __webpack_require__(506);
;// CONCATENATED MODULE: ./src/lib/actions-cache.ts










/** The real ports, logging through the caller's functions. */
function defaultCacheDeps(info, warn) {
    return {
        env: process.env,
        http: nodeHttpClient,
        transfer: lib_transfer.nodeTransfer,
        exec: exec/* exec */.m0,
        info,
        warn,
        sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    };
}
const ARCHIVE = 'cache.tgz';
const MANIFEST = 'manifest.txt';
function isGhes(env) {
    const host = new URL(env.GITHUB_SERVER_URL || 'https://github.com').hostname.toUpperCase();
    return host !== 'GITHUB.COM' && !host.endsWith('.GHE.COM') && !host.endsWith('.LOCALHOST');
}
/** The cache service's URL and token, or why there is none this code can use. */
function serviceFromEnv(env) {
    const unavailable = 'the cache service is not available on this runner';
    if (!env.ACTIONS_RESULTS_URL || !env.ACTIONS_RUNTIME_TOKEN) {
        return `${unavailable} (ACTIONS_RESULTS_URL or ACTIONS_RUNTIME_TOKEN is not set)`;
    }
    if (isGhes(env))
        return `${unavailable}: the legacy (v1) service of GitHub Enterprise Server is not supported`;
    if (!env.ACTIONS_CACHE_SERVICE_V2) {
        return `${unavailable}: only the legacy (v1) service is offered (ACTIONS_CACHE_SERVICE_V2 is not set)`;
    }
    return { baseUrl: env.ACTIONS_RESULTS_URL, token: env.ACTIONS_RUNTIME_TOKEN };
}
/** ACTIONS_CACHE_MODE as @actions/cache reads it: an unknown or empty mode allows both. */
function cacheModeAllows(env, access) {
    const mode = (env.ACTIONS_CACHE_MODE ?? '').trim().toLowerCase();
    if (!['none', 'read', 'write', 'write-only'].includes(mode))
        return true;
    return access === 'read' ? mode === 'read' || mode === 'write' : mode === 'write' || mode === 'write-only';
}
/** A path as the user wrote it, made absolute: `~` is the home folder, relative is from `cwd`. */
function absolutePath(path, cwd, home = (0,external_node_os_.homedir)()) {
    const expanded = path === '~' ? home : path.startsWith('~/') ? (0,external_node_path_.join)(home, path.slice(2)) : path;
    return (0,external_node_path_.resolve)(cwd, expanded);
}
/**
 * The manifest tar reads the paths from: each relative to the workspace with `/` separators,
 * `.` for the workspace itself, as @actions/cache writes them (tar runs with `-C workspace -P`).
 */
function manifestLines(absolute, workspace) {
    return absolute.map((p) => (0,external_node_path_.relative)(workspace, p).split(external_node_path_.sep).join('/') || '.');
}
function createTarArgs(workspace) {
    return [
        '--posix',
        '-cf',
        ARCHIVE,
        '--exclude',
        ARCHIVE,
        '-P',
        '-C',
        workspace,
        '--files-from',
        MANIFEST,
        '-z',
    ];
}
function extractTarArgs(archive, workspace) {
    return ['-xf', archive, '-P', '-C', workspace, '-z'];
}
function prepare(deps, paths, keys) {
    if (paths.length === 0)
        return 'no path to cache was given';
    if (keys.length > 10)
        return `${keys.length} keys given; the cache service takes at most 10`;
    for (const key of keys) {
        const problem = keyProblem(key);
        if (problem)
            return problem;
    }
    const service = serviceFromEnv(deps.env);
    if (typeof service === 'string')
        return service;
    const cwd = deps.cwd ?? process.cwd();
    return {
        config: {
            ...service,
            http: deps.http,
            timeoutMs: deps.timeoutMs ?? 30_000,
            attempts: deps.attempts ?? 3,
            retryDelayMs: deps.retryDelayMs ?? 2_000,
            sleep: deps.sleep,
        },
        version: cacheVersion(paths, 'gzip', deps.platform ?? process.platform),
        workspace: deps.env.GITHUB_WORKSPACE || cwd,
        cwd,
        deps,
    };
}
async function withTempDir(env, fn) {
    const dir = (0,external_node_path_.join)(env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(), (0,external_node_crypto_.randomUUID)());
    await (0,promises_.mkdir)(dir, { recursive: true });
    try {
        return await fn(dir);
    }
    finally {
        await (0,promises_.rm)(dir, { recursive: true, force: true });
    }
}
const mb = (bytes) => `~${Math.round(bytes / (1024 * 1024))} MB (${bytes} B)`;
/**
 * Restores `paths` from the first entry found for `key`, else for the first restore key that
 * prefixes an entry's key; returns the key restored, or undefined for a miss or any failure.
 */
async function restoreCache(deps, paths, key, restoreKeys = []) {
    const prepared = prepare(deps, paths, [key, ...restoreKeys]);
    if (typeof prepared === 'string') {
        deps.warn(`Cache not restored: ${prepared}`);
        return undefined;
    }
    if (!cacheModeAllows(deps.env, 'read')) {
        deps.info(`Cache restore skipped: ACTIONS_CACHE_MODE '${deps.env.ACTIONS_CACHE_MODE}' does not permit reads`);
        return undefined;
    }
    const { config, version, workspace } = prepared;
    try {
        const hit = await lookupEntry(config, key, restoreKeys, version);
        if (hit === undefined) {
            deps.info(`Cache not found for keys: ${[key, ...restoreKeys].join(', ')}`);
            return undefined;
        }
        deps.info(hit.matchedKey === key ? `Cache hit for: ${key}` : `Cache hit for restore-key: ${hit.matchedKey}`);
        return await withTempDir(deps.env, async (dir) => {
            const archive = (0,external_node_path_.join)(dir, ARCHIVE);
            await downloadBlob(deps.transfer, hit.downloadUrl, archive, deps.idleTimeoutMs ?? 60_000);
            deps.info(`Cache Size: ${mb((await (0,promises_.stat)(archive)).size)}`);
            await (0,exec/* execChecked */.$h)(deps.exec, 'tar', extractTarArgs(archive, workspace));
            deps.info('Cache restored successfully');
            return hit.matchedKey;
        });
    }
    catch (error) {
        deps.warn(`Failed to restore cache: ${(0,errors/* errorMessage */.gJ)(error)}`);
        return undefined;
    }
}
/** Saves `paths` under `key`; returns whether an entry was saved. Never throws. */
async function saveCache(deps, paths, key) {
    const prepared = prepare(deps, paths, [key]);
    if (typeof prepared === 'string') {
        deps.warn(`Cache not saved: ${prepared}`);
        return false;
    }
    if (!cacheModeAllows(deps.env, 'write')) {
        deps.info(`Cache save skipped: ACTIONS_CACHE_MODE '${deps.env.ACTIONS_CACHE_MODE}' does not permit writes`);
        return false;
    }
    const { config, version, workspace, cwd } = prepared;
    const existing = paths.map((p) => absolutePath(p, cwd)).filter((p) => (0,external_node_fs_.existsSync)(p));
    if (existing.length === 0) {
        deps.warn(`Cache not saved: none of the paths exist (${paths.join(', ')})`);
        return false;
    }
    try {
        return await withTempDir(deps.env, async (dir) => {
            await (0,promises_.writeFile)((0,external_node_path_.join)(dir, MANIFEST), manifestLines(existing, workspace).join('\n'));
            await (0,exec/* execChecked */.$h)(deps.exec, 'tar', createTarArgs(workspace), { cwd: dir });
            const size = (await (0,promises_.stat)((0,external_node_path_.join)(dir, ARCHIVE))).size;
            const entry = await createEntry(config, key, version);
            if ('refused' in entry) {
                deps.warn(`Cache not saved: the service refused key ${key}: ${entry.refused}`);
                return false;
            }
            await uploadBlob(deps.transfer, entry.uploadUrl, (0,external_node_path_.join)(dir, ARCHIVE), size, {
                idleTimeoutMs: deps.idleTimeoutMs ?? 60_000,
                ...deps.uploadLimits,
            });
            await finalizeEntry(config, key, version, size);
            deps.info(`Cache saved with key ${key}, size ${mb(size)}`);
            return true;
        });
    }
    catch (error) {
        deps.warn(`Failed to save cache: ${(0,errors/* errorMessage */.gJ)(error)}`);
        return false;
    }
}


/***/ }),

/***/ 600:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   B: () => (/* binding */ redactUrl),
/* harmony export */   nodeTransfer: () => (/* binding */ nodeTransfer)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(67);
/* harmony import */ var node_http__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_http__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(708);
/* harmony import */ var node_https__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_https__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(268);






/**
 * A URL as it may be printed: signed URLs (cache blobs, release assets behind a redirect) carry
 * their credentials in the query string, and a URL may carry a user:password.
 */
function redactUrl(url) {
    try {
        const parsed = new URL(url);
        return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
    }
    catch {
        return '(invalid URL)';
    }
}
const MAX_TEXT = 64 * 1024;
function bodyLength(body) {
    if (body === undefined)
        return 0;
    if (typeof body === 'string')
        return Buffer.byteLength(body);
    if (Buffer.isBuffer(body))
        return body.length;
    return body.end - body.start;
}
const nodeTransfer = async (request) => {
    const url = new URL(request.url);
    const method = request.method ?? 'GET';
    const shown = `${method} ${redactUrl(url)}`;
    const transport = url.protocol === 'https:' ? (node_https__WEBPACK_IMPORTED_MODULE_3___default()) : (node_http__WEBPACK_IMPORTED_MODULE_2___default());
    const headers = { ...request.headers };
    const length = bodyLength(request.body);
    if (method !== 'GET' && length !== undefined)
        headers['content-length'] = String(length);
    const response = await new Promise((resolve, reject) => {
        const req = transport.request(url, { method, headers, agent: false }, resolve);
        req.setTimeout(request.idleTimeoutMs, () => req.destroy(new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationError */ .OK(`${shown}: no answer within ${request.idleTimeoutMs}ms`)));
        req.on('error', (error) => reject(error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationError */ .OK ? error : new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationError */ .OK(`${shown} failed: ${error.message}`)));
        const body = request.body;
        if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
            req.end(body);
        }
        else if (body.end <= body.start) {
            req.end();
        }
        else {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(body.file, { start: body.start, end: body.end - 1 })
                .on('error', (error) => req.destroy(error))
                .pipe(req);
        }
    });
    const status = response.statusCode ?? 0;
    const responseHeaders = {};
    for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined)
            responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    response.setTimeout(request.idleTimeoutMs, () => response.destroy(new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationError */ .OK(`${shown}: the answer stalled for ${request.idleTimeoutMs}ms`)));
    try {
        if (request.toFile !== undefined && status >= 200 && status < 300) {
            try {
                await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_4__.pipeline)(response, (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createWriteStream)(request.toFile));
            }
            catch (error) {
                // A half-written file must not pass for a download.
                await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_1__.rm)(request.toFile, { force: true });
                throw error;
            }
            return { status, headers: responseHeaders, body: '' };
        }
        const chunks = [];
        let size = 0;
        for await (const chunk of response) {
            if (size < MAX_TEXT)
                chunks.push(chunk.subarray(0, MAX_TEXT - size));
            size += chunk.length;
        }
        return { status, headers: responseHeaders, body: Buffer.concat(chunks).toString('utf8') };
    }
    catch (error) {
        if (error instanceof _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationError */ .OK)
            throw error;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationError */ .OK(`${shown} failed while reading the answer: ${error.message}`);
    }
};


/***/ })

};
