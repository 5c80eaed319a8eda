// Types for the SDK's per-command ES modules that ecs-sdk.ts re-exports: the same classes as the
// package root's, which has the type declarations.
declare module '@aws-sdk/client-ecs/dist-es/ECSClient.js' {
  export { ECSClient } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/ContinueServiceDeploymentCommand.js' {
  export { ContinueServiceDeploymentCommand } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/DescribeServiceDeploymentsCommand.js' {
  export { DescribeServiceDeploymentsCommand } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/DescribeServicesCommand.js' {
  export { DescribeServicesCommand } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/DescribeTaskDefinitionCommand.js' {
  export { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/DescribeTasksCommand.js' {
  export { DescribeTasksCommand } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/ListServiceDeploymentsCommand.js' {
  export { ListServiceDeploymentsCommand } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/ListTasksCommand.js' {
  export { ListTasksCommand } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/RegisterTaskDefinitionCommand.js' {
  export { RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/RunTaskCommand.js' {
  export { RunTaskCommand } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/StopServiceDeploymentCommand.js' {
  export { StopServiceDeploymentCommand } from '@aws-sdk/client-ecs'
}
declare module '@aws-sdk/client-ecs/dist-es/commands/UpdateServiceCommand.js' {
  export { UpdateServiceCommand } from '@aws-sdk/client-ecs'
}
