// The SDK classes this action uses, each from its own ES module: the package root would bundle all
// of ECS's commands and their index (about 60 KB more). Loaded with one dynamic import (see createEcsApi).
export { ECSClient } from '@aws-sdk/client-ecs/dist-es/ECSClient.js'
export { ContinueServiceDeploymentCommand } from '@aws-sdk/client-ecs/dist-es/commands/ContinueServiceDeploymentCommand.js'
export { DescribeServiceDeploymentsCommand } from '@aws-sdk/client-ecs/dist-es/commands/DescribeServiceDeploymentsCommand.js'
export { DescribeServicesCommand } from '@aws-sdk/client-ecs/dist-es/commands/DescribeServicesCommand.js'
export { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs/dist-es/commands/DescribeTaskDefinitionCommand.js'
export { DescribeTasksCommand } from '@aws-sdk/client-ecs/dist-es/commands/DescribeTasksCommand.js'
export { ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs/dist-es/commands/ListServiceDeploymentsCommand.js'
export { ListTasksCommand } from '@aws-sdk/client-ecs/dist-es/commands/ListTasksCommand.js'
export { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs/dist-es/commands/RegisterTaskDefinitionCommand.js'
export { RunTaskCommand } from '@aws-sdk/client-ecs/dist-es/commands/RunTaskCommand.js'
export { StopServiceDeploymentCommand } from '@aws-sdk/client-ecs/dist-es/commands/StopServiceDeploymentCommand.js'
export { UpdateServiceCommand } from '@aws-sdk/client-ecs/dist-es/commands/UpdateServiceCommand.js'
