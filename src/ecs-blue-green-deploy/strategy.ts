import type { DeploymentStrategy } from '@aws-sdk/client-ecs'

/** The `strategy` input's values, and the ECS deployment strategy each one is. */
export const STRATEGIES = ['blue-green', 'rolling', 'canary', 'linear'] as const
export type Strategy = (typeof STRATEGIES)[number]

export const ECS_STRATEGY: Record<Strategy, DeploymentStrategy> = {
  'blue-green': 'BLUE_GREEN',
  rolling: 'ROLLING',
  canary: 'CANARY',
  linear: 'LINEAR',
}
