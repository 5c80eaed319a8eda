export const id = 552;
export const ids = [552];
export const modules = {

/***/ 7552:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   installTrivy: () => (/* binding */ installTrivy)
/* harmony export */ });
/* unused harmony exports TRIVY_RELEASES, MIRROR_ENV, trivyAsset, expectedChecksum, sha256File */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_4__);
/* harmony import */ var _lib_errors_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(7268);






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
        throw new _lib_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationError */ .OK(`No Trivy release is published for ${platform}/${arch} as a tarball; install Trivy yourself and set 'trivy-path'`);
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
        const hash = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(path)
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
async function installTrivy({ version, env, platform, arch, log }) {
    // The tool cache lives where the runner says; outside a runner (a laptop, act) use the temp dir.
    process.env.RUNNER_TOOL_CACHE ||= (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)((0,node_os__WEBPACK_IMPORTED_MODULE_3__.tmpdir)(), 'devops-actions-tool-cache');
    process.env.RUNNER_TEMP ||= (0,node_os__WEBPACK_IMPORTED_MODULE_3__.tmpdir)();
    const tc = await Promise.all(/* import() */[__webpack_require__.e(507), __webpack_require__.e(805)]).then(__webpack_require__.bind(__webpack_require__, 9805));
    const cached = tc.find('trivy', version, arch);
    if (cached) {
        log(`Trivy ${version} found in the tool cache`);
        return (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(cached, 'trivy');
    }
    const asset = trivyAsset(version, platform, arch);
    const base = (env[MIRROR_ENV] || TRIVY_RELEASES).replace(/\/+$/, '');
    const url = `${base}/v${version}/${asset}`;
    const checksumsUrl = `${base}/v${version}/trivy_${version}_checksums.txt`;
    log(`Downloading ${url}`);
    let tarball;
    let checksumsFile;
    try {
        tarball = await tc.downloadTool(url);
        checksumsFile = await tc.downloadTool(checksumsUrl);
    }
    catch (error) {
        throw new _lib_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationError */ .OK(`Cannot download Trivy ${version}: ${error.message}`);
    }
    const expected = expectedChecksum(await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.readFile)(checksumsFile, 'utf8'), asset);
    if (expected === undefined) {
        throw new _lib_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationError */ .OK(`Trivy ${version}'s checksums file does not list ${asset}; refusing to install it`);
    }
    const actual = await sha256File(tarball);
    if (actual !== expected) {
        throw new _lib_errors_js__WEBPACK_IMPORTED_MODULE_5__/* .OperationError */ .OK(`Checksum mismatch for ${asset}: expected sha256 ${expected}, got ${actual}; refusing to install it`);
    }
    log(`Verified ${asset} (sha256 ${actual})`);
    const extracted = await tc.extractTar(tarball);
    const dir = await tc.cacheFile((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(extracted, 'trivy'), 'trivy', 'trivy', version, arch);
    return (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dir, 'trivy');
}


/***/ })

};
