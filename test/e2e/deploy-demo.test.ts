import { execFileSync } from 'node:child_process'
import { runPipeline, type PhaseResult } from '../../scripts/demo/pipeline.js'
import { INSTALL_HINT, preflight } from '../../scripts/demo/preflight.js'

// `npm run demo`'s pipeline, as the README promises it: the fixture app's tests on PostgreSQL, the
// image on the real Docker engine, the push through the fake ECR API to a real registry, the
// blue/green deploy on the fake ECS with its gate checking the container the engine runs, and the
// smoke test. Fails (never skips) when this machine lacks a prerequisite.

test('the local ECS pipeline passes every phase and leaves no container behind', async () => {
  const checked = await preflight()
  if (checked.missing.length > 0) throw new Error(`Missing: ${checked.missing.join('; ')}. ${INSTALL_HINT}`)
  const lines: string[] = []
  const results: PhaseResult[] = await runPipeline({ trivy: checked.trivy, log: (line) => lines.push(line) })

  expect(results.map((r) => [r.phase, r.run?.exitCode, r.run?.errors])).toEqual([
    ['setup-django-test', 0, []],
    ['build-and-scan-image', 0, []],
    ['push-to-ecr', 0, []],
    ['ecs-blue-green-deploy', 0, []],
    ['smoke-test', 0, []],
  ])
  const [tests, , pushed, deployed, smoke] = results.map((r) => r.run?.outputs ?? {})
  expect(tests).toMatchObject({ tests: '5', passed: '5', failures: '0' })
  expect(deployed).toMatchObject({ status: 'SUCCESSFUL', 'rolled-back': 'false' })
  expect(deployed?.['migration-task-arn']).toMatch(/:task\//)
  expect(smoke).toMatchObject({ passed: '2', failed: '0' })
  // The gate really reached the container: its checks are in the deploy log.
  expect(results[3]?.run?.stdout).toContain('Gate passed: ContinueServiceDeployment with CONTINUE')
  if (!checked.trivy) expect(lines.join('\n')).toContain('Trivy is not installed')

  const containers = execFileSync('docker', ['ps', '-a', '--format', '{{.Names}}'], { encoding: 'utf8' })
  expect(containers).not.toContain('devops-actions-demo-')
  const images = execFileSync('docker', ['image', 'ls', '--format', '{{.Repository}}:{{.Tag}}'], {
    encoding: 'utf8',
  })
  expect(images).not.toContain(pushed?.['image-uri'])
}, 240_000)
