import {
  allRolledBack,
  deploymentRecords,
  overallStatus,
  runSummary,
  type DeploymentRecord,
} from './report.js'
import type { RunState } from './run-state.js'

/** How a run ended: what the outputs, the job summary and the step's verdict are made from. */
export interface EcsDeployResult {
  /** The only service's status, else the worst of them; NOT_STARTED or MIGRATION_FAILED before any UpdateService. */
  status: string
  /** Every service this run changed is back on its previous revision. */
  rolledBack: boolean
  /** The revision registered for the first service. */
  taskDefinitionArn?: string
  /** The deployment the first started service is on. */
  deploymentArn?: string
  migrationTaskArn?: string
  deployments: DeploymentRecord[]
  /** The job summary's markdown. */
  summary: string
  /** Why the run failed, when it did: which services are where, and why. */
  failure?: string
}

/** The result of a run, from its state at the end. */
export function runResult(state: RunState, failure: string | undefined): EcsDeployResult {
  const { report } = state
  return {
    status: overallStatus(report),
    rolledBack: allRolledBack(report),
    taskDefinitionArn: report.services[0]?.taskDefinitionArn,
    deploymentArn: state.deploymentArn,
    migrationTaskArn: report.migrationTaskArn,
    deployments: deploymentRecords(report),
    summary: runSummary(report),
    ...(failure !== undefined ? { failure } : {}),
  }
}

/** The outputs of action.yml. */
export type EcsDeployOutput =
  'task-definition-arn' | 'deployment-arn' | 'status' | 'rolled-back' | 'deployments' | 'migration-task-arn'

/** The step's outputs: the one place their names appear. */
export function ecsDeployOutputs(result: EcsDeployResult): Record<EcsDeployOutput, string> {
  return {
    'task-definition-arn': result.taskDefinitionArn ?? '',
    'deployment-arn': result.deploymentArn ?? '',
    status: result.status,
    'rolled-back': String(result.rolledBack),
    deployments: JSON.stringify(result.deployments),
    'migration-task-arn': result.migrationTaskArn ?? '',
  }
}
