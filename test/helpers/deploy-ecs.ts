// What the deploy integration tests of target ecs share: a workspace with a Dockerfile the
// linter passes, a stand-in Trivy (the real one cannot be downloaded here) that finds nothing,
// and the step's environment pointing the SDK at the fake ECR and ECS.
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FakeEcr } from '../fakes/ecr.js'
import type { FakeEcs } from '../fakes/ecs.js'

export const DEPLOY_DOCKERFILE = `FROM devops-actions/python-django:bookworm
USER 10001
HEALTHCHECK CMD python3 -c "print(1)"
CMD ["python3", "-c", "print('deploy integration test image')"]
`

/** A Trivy report without findings. */
export const CLEAN_REPORT = JSON.stringify({
  SchemaVersion: 2,
  ArtifactName: 'image',
  ArtifactType: 'container_image',
  Results: [],
})

/**
 * `<work>/ws` with the Dockerfile and `<work>/bin` with a `trivy` that writes the clean report
 * wherever `--output` says (a scan, and `trivy convert` for an SBOM alike).
 */
export function prepareDeployWorkspace(work: string): { workspace: string; bin: string } {
  const workspace = join(work, 'ws')
  const bin = join(work, 'bin')
  mkdirSync(workspace, { recursive: true })
  mkdirSync(bin, { recursive: true })
  writeFileSync(join(workspace, 'Dockerfile'), DEPLOY_DOCKERFILE)
  writeFileSync(join(work, 'clean.json'), CLEAN_REPORT)
  writeFileSync(
    join(bin, 'trivy'),
    `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Version: 0.67.2"; exit 0; fi\nout=""\nwhile [ $# -gt 0 ]; do case "$1" in --output) out="$2"; shift 2 ;; *) shift ;; esac; done\ncp "${join(work, 'clean.json')}" "$out"\n`,
    { mode: 0o755 },
  )
  return { workspace, bin }
}

/** The step's environment: the SDK at the fakes, no AWS or docker configuration of the machine's. */
export function ecsDeployEnv(ecs: FakeEcs, ecr: FakeEcr, work: string, bin: string): Record<string, string> {
  return {
    ...ecs.env(),
    AWS_ENDPOINT_URL_ECR: ecr.url,
    AWS_ACCESS_KEY_ID: ecr.accessKeyId,
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(work, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(work, 'no-aws-credentials'),
    DOCKER_CONFIG: join(work, 'docker-config'),
    PATH: `${bin}:${process.env.PATH ?? ''}`,
  }
}
