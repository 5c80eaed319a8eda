export const id = 110;
export const ids = [110];
export const modules = {

/***/ 7110:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ContinueServiceDeploymentCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_ContinueServiceDeploymentCommand_js__WEBPACK_IMPORTED_MODULE_1__.L),
/* harmony export */   DescribeServiceDeploymentsCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_DescribeServiceDeploymentsCommand_js__WEBPACK_IMPORTED_MODULE_2__.A),
/* harmony export */   DescribeServicesCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_DescribeServicesCommand_js__WEBPACK_IMPORTED_MODULE_3__.H),
/* harmony export */   DescribeTaskDefinitionCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_DescribeTaskDefinitionCommand_js__WEBPACK_IMPORTED_MODULE_4__.Z),
/* harmony export */   DescribeTasksCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_DescribeTasksCommand_js__WEBPACK_IMPORTED_MODULE_5__.z),
/* harmony export */   ECSClient: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_ECSClient_js__WEBPACK_IMPORTED_MODULE_0__.Z),
/* harmony export */   ListServiceDeploymentsCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_ListServiceDeploymentsCommand_js__WEBPACK_IMPORTED_MODULE_6__.j),
/* harmony export */   ListTasksCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_ListTasksCommand_js__WEBPACK_IMPORTED_MODULE_7__.M),
/* harmony export */   RegisterTaskDefinitionCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_RegisterTaskDefinitionCommand_js__WEBPACK_IMPORTED_MODULE_8__.$),
/* harmony export */   RunTaskCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_RunTaskCommand_js__WEBPACK_IMPORTED_MODULE_9__._),
/* harmony export */   StopServiceDeploymentCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_StopServiceDeploymentCommand_js__WEBPACK_IMPORTED_MODULE_10__.a),
/* harmony export */   UpdateServiceCommand: () => (/* reexport safe */ _aws_sdk_client_ecs_dist_es_commands_UpdateServiceCommand_js__WEBPACK_IMPORTED_MODULE_11__.k)
/* harmony export */ });
/* harmony import */ var _aws_sdk_client_ecs_dist_es_ECSClient_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7777);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_ContinueServiceDeploymentCommand_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(9005);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_DescribeServiceDeploymentsCommand_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(9064);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_DescribeServicesCommand_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6987);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_DescribeTaskDefinitionCommand_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(2511);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_DescribeTasksCommand_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8639);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_ListServiceDeploymentsCommand_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(3723);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_ListTasksCommand_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(4810);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_RegisterTaskDefinitionCommand_js__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(4031);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_RunTaskCommand_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(7168);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_StopServiceDeploymentCommand_js__WEBPACK_IMPORTED_MODULE_10__ = __webpack_require__(5416);
/* harmony import */ var _aws_sdk_client_ecs_dist_es_commands_UpdateServiceCommand_js__WEBPACK_IMPORTED_MODULE_11__ = __webpack_require__(7188);
// The SDK classes this action uses, each from its own ES module: the package root would bundle all
// of ECS's commands and their index (about 60 KB more). Loaded with one dynamic import (see createEcsApi).














/***/ })

};
