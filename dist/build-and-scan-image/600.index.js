export const id = 600;
export const ids = [600];
export const modules = {

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
