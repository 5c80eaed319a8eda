export const id = 232;
export const ids = [232,600];
export const modules = {

/***/ 232:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  installTrivy: () => (/* binding */ installTrivy)
});

// UNUSED EXPORTS: MIRROR_ENV, TRIVY_RELEASES, expectedChecksum, sha256File, trivyAsset

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(455);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(760);
// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __webpack_require__(268);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(161);
// EXTERNAL MODULE: ./src/lib/exec.ts + 1 modules
var lib_exec = __webpack_require__(506);
// EXTERNAL MODULE: ./src/lib/transfer.ts
var lib_transfer = __webpack_require__(600);
;// CONCATENATED MODULE: ./src/lib/tool-cache.ts








/** The runner's directories; outside a runner (a laptop, act) both fall back to the temp dir. */
function toolCacheDirs(env) {
    return {
        root: env.RUNNER_TOOL_CACHE || (0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'devops-actions-tool-cache'),
        temp: env.RUNNER_TEMP || (0,external_node_os_.tmpdir)(),
    };
}
/** `v1.2.3` and `=1.2.3` name the same folder as `1.2.3`, as semver.clean makes them. */
function cleanVersion(version) {
    return version.trim().replace(/^[=v]+/, '');
}
/** The folder of one tool version for one architecture. */
function toolPath(root, tool, version, arch) {
    return (0,external_node_path_.join)(root, tool, cleanVersion(version), arch);
}
/** The folder of a completely cached tool version, or undefined (only exact versions, no ranges). */
function findTool(root, tool, version, arch) {
    const folder = toolPath(root, tool, version, arch);
    return (0,external_node_fs_.existsSync)(folder) && (0,external_node_fs_.existsSync)(`${folder}.complete`) ? folder : undefined;
}
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const retryable = (status) => status >= 500 || status === 408 || status === 429;
/**
 * Downloads a URL to a new file and returns its path. Redirects are followed (GitHub release
 * assets redirect to a signed object-store URL); errors name the URL without its query string,
 * where signed URLs keep their credentials.
 */
async function downloadFile(url, options) {
    const { transfer, dir, idleTimeoutMs = 60_000, maxRedirects = 10, attempts = 3 } = options;
    const { retryDelayMs = 10_000, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = options;
    await (0,promises_.mkdir)(dir, { recursive: true });
    const file = (0,external_node_path_.join)(dir, (0,external_node_crypto_.randomUUID)());
    for (let attempt = 1;; attempt += 1) {
        let failure;
        let again;
        try {
            let current = url;
            for (let redirects = 0;; redirects += 1) {
                const response = await transfer({ url: current, toFile: file, idleTimeoutMs });
                const location = response.headers.location;
                if (REDIRECTS.has(response.status) && location !== undefined) {
                    if (redirects >= maxRedirects)
                        throw new errors/* OperationError */.OK(`more than ${maxRedirects} redirects`);
                    current = new URL(location, current).href;
                    continue;
                }
                if (response.status === 200)
                    return file;
                failure = `HTTP ${response.status}`;
                again = retryable(response.status);
                break;
            }
        }
        catch (error) {
            failure = (0,errors/* errorMessage */.gJ)(error);
            again = true;
        }
        await (0,promises_.rm)(file, { force: true });
        if (!again || attempt >= attempts) {
            throw new errors/* OperationError */.OK(`Download of ${(0,lib_transfer/* redactUrl */.B)(url)} failed: ${failure}`);
        }
        await sleep(retryDelayMs);
    }
}
/** `tar` arguments that extract a gzipped tarball into a folder; GNU tar gets the same extra flags as in @actions/tool-cache. */
function extractTarArgs(file, dest, gnu) {
    return ['xz', ...(gnu ? ['--warning=no-unknown-keyword', '--overwrite'] : []), '-C', dest, '-f', file];
}
/** Extracts a .tar.gz into a new folder under `tempDir` (or into `dest`) and returns that folder. */
async function extractTarGz(exec, file, tempDir, dest) {
    const target = dest ?? (0,external_node_path_.join)(tempDir, (0,external_node_crypto_.randomUUID)());
    await (0,promises_.mkdir)(target, { recursive: true });
    const version = await exec('tar', ['--version']).catch(() => undefined);
    const gnu = /GNU tar/i.test(version?.stdout ?? '');
    await (0,lib_exec/* execChecked */.$h)(exec, 'tar', extractTarArgs(file, target, gnu));
    return target;
}
async function freshToolPath(root, tool, version, arch) {
    const folder = toolPath(root, tool, version, arch);
    // A half-copied folder from an interrupted run must not survive next to a new marker.
    await (0,promises_.rm)(folder, { recursive: true, force: true });
    await (0,promises_.rm)(`${folder}.complete`, { force: true });
    await (0,promises_.mkdir)(folder, { recursive: true });
    return folder;
}
/** Copies a folder's contents into the tool cache, marks it complete, and returns the cached folder. */
async function cacheDir(root, source, tool, version, arch) {
    if (!(await stat(source)).isDirectory())
        throw new OperationError(`${source} is not a directory`);
    const folder = await freshToolPath(root, tool, version, arch);
    await cp(source, folder, { recursive: true, verbatimSymlinks: true });
    await writeFile(`${folder}.complete`, '');
    return folder;
}
/** Copies one file into the tool cache under `targetName`, marks it complete, and returns the cached folder. */
async function cacheFile(root, source, targetName, tool, version, arch) {
    if (!(await (0,promises_.stat)(source)).isFile())
        throw new errors/* OperationError */.OK(`${source} is not a file`);
    const folder = await freshToolPath(root, tool, version, arch);
    const target = (0,external_node_path_.join)(folder, targetName);
    await (0,promises_.mkdir)((0,external_node_path_.dirname)(target), { recursive: true });
    await (0,promises_.copyFile)(source, target);
    await (0,promises_.writeFile)(`${folder}.complete`, '');
    return folder;
}

;// CONCATENATED MODULE: ./src/build-and-scan-image/trivy-install.ts






/** Where Trivy's releases are downloaded from. */
const TRIVY_RELEASES = 'https://github.com/aquasecurity/trivy/releases/download';
/**
 * Overrides the releases URL, for a mirror inside a network without access to GitHub (and for
 * this action's own tests). The checksums file is read from the same place, so the mirror must
 * be one you trust as much as GitHub.
 */
const MIRROR_ENV = 'TRIVY_DOWNLOAD_MIRROR';
const OS = { linux: 'Linux', darwin: 'macOS', freebsd: 'FreeBSD' };
const ARCH = {
    x64: '64bit',
    arm64: 'ARM64',
    arm: 'ARM',
    ia32: '32bit',
    ppc64: 'PPC64LE',
    s390x: 's390x',
};
/** The release asset for a platform: `trivy_0.67.2_Linux-64bit.tar.gz`. */
function trivyAsset(version, platform, arch) {
    const os = OS[platform];
    const cpu = ARCH[arch];
    if (os === undefined || cpu === undefined) {
        throw new errors/* OperationError */.OK(`No Trivy release is published for ${platform}/${arch} as a tarball; install Trivy yourself and set 'trivy-path'`);
    }
    return `trivy_${version}_${os}-${cpu}.tar.gz`;
}
/** The SHA-256 the checksums file lists for an asset (`<hex>  <name>` lines). */
function expectedChecksum(checksums, asset) {
    for (const line of checksums.split(/\r?\n/)) {
        const match = /^([0-9a-f]{64})\s+\*?(\S+)$/i.exec(line.trim());
        if (match && match[2] === asset)
            return match[1]?.toLowerCase();
    }
    return undefined;
}
function sha256File(path) {
    return new Promise((resolve, reject) => {
        const hash = (0,external_node_crypto_.createHash)('sha256');
        (0,external_node_fs_.createReadStream)(path)
            .on('data', (chunk) => hash.update(chunk))
            .on('error', reject)
            .on('end', () => resolve(hash.digest('hex')));
    });
}
/**
 * Installs a Trivy release into the runner's tool cache and returns the binary's path. A cached
 * copy is used as is; otherwise the tarball and the release's checksums file are downloaded and
 * the tarball is refused unless its SHA-256 matches.
 */
async function installTrivy(options) {
    const { version, env, platform, arch, log, exec, transfer } = options;
    // The tool cache lives where the runner says; outside a runner (a laptop, act) in the temp dir.
    const dirs = toolCacheDirs(env);
    const cached = findTool(dirs.root, 'trivy', version, arch);
    if (cached) {
        log(`Trivy ${version} found in the tool cache`);
        return (0,external_node_path_.join)(cached, 'trivy');
    }
    const asset = trivyAsset(version, platform, arch);
    const base = (env[MIRROR_ENV] || TRIVY_RELEASES).replace(/\/+$/, '');
    const url = `${base}/v${version}/${asset}`;
    const checksumsUrl = `${base}/v${version}/trivy_${version}_checksums.txt`;
    log(`Downloading ${url}`);
    let tarball;
    let checksumsFile;
    try {
        tarball = await downloadFile(url, { transfer, dir: dirs.temp });
        checksumsFile = await downloadFile(checksumsUrl, { transfer, dir: dirs.temp });
    }
    catch (error) {
        throw new errors/* OperationError */.OK(`Cannot download Trivy ${version}: ${error.message}`);
    }
    try {
        const expected = expectedChecksum(await (0,promises_.readFile)(checksumsFile, 'utf8'), asset);
        if (expected === undefined) {
            throw new errors/* OperationError */.OK(`Trivy ${version}'s checksums file does not list ${asset}; refusing to install it`);
        }
        const actual = await sha256File(tarball);
        if (actual !== expected) {
            throw new errors/* OperationError */.OK(`Checksum mismatch for ${asset}: expected sha256 ${expected}, got ${actual}; refusing to install it`);
        }
        log(`Verified ${asset} (sha256 ${actual})`);
        const extracted = await extractTarGz(exec, tarball, dirs.temp);
        const dir = await cacheFile(dirs.root, (0,external_node_path_.join)(extracted, 'trivy'), 'trivy', 'trivy', version, arch);
        await (0,promises_.rm)(extracted, { recursive: true, force: true });
        return (0,external_node_path_.join)(dir, 'trivy');
    }
    finally {
        await (0,promises_.rm)(tarball, { force: true });
        await (0,promises_.rm)(checksumsFile, { force: true });
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
