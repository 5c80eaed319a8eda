import {
  parseDockerfile,
  parseInstructions,
  substitute,
} from '../../../src/build-and-scan-image/dockerfile.js'
import { lintDockerfile, type Finding } from '../../../src/build-and-scan-image/lint.js'

const GOOD = `# syntax=docker/dockerfile:1
ARG BASE=devops-actions/python-django:bookworm

FROM \${BASE} AS build
WORKDIR /app
COPY . .
RUN python3 manage.py check

FROM \${BASE}
RUN apt-get update && apt-get install -y --no-install-recommends tini \\
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
ENV DJANGO_SETTINGS_MODULE=mysite.settings \\
    SECRET_KEY_FILE=
USER 10001:10001
HEALTHCHECK CMD python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/')"
CMD ["gunicorn", "mysite.wsgi"]
`

const rules = (findings: Finding[]) => findings.map((f) => `${f.level} ${f.rule} @${f.line}`)

describe('lintDockerfile: good Dockerfiles', () => {
  it.each([
    [
      'multi-stage with ARG base, USER and HEALTHCHECK',
      GOOD,
      ['notice base-digest @4', 'notice base-digest @9'],
    ],
    [
      'pinned by digest, final stage inherits USER and HEALTHCHECK from its parent stage',
      `FROM python:3.12-slim@sha256:${'a'.repeat(64)} AS base
USER app
HEALTHCHECK CMD true
FROM base
CMD ["python3"]`,
      [],
    ],
    [
      'scratch needs no tag',
      'FROM golang:1.22 AS b\nFROM scratch\nUSER 65532\nHEALTHCHECK NONE\n',
      ['notice base-digest @1', 'warning healthcheck @4'],
    ],
    [
      'apt cache mount instead of list cleanup',
      'FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt apt-get update && apt-get install -y curl\nUSER nobody\nHEALTHCHECK CMD true',
      ['notice base-digest @1'],
    ],
    [
      'a secret from a build arg is not a literal',
      'FROM debian:12\nARG API_TOKEN\nENV API_TOKEN=${API_TOKEN}\nUSER app\nHEALTHCHECK CMD true',
      ['notice base-digest @1'],
    ],
  ])('%s', (_name, text, expected) => {
    expect(rules(lintDockerfile(text))).toEqual(expected)
  })
})

describe('lintDockerfile: bad Dockerfiles', () => {
  it.each([
    [
      'no USER at all',
      'FROM debian:12\nHEALTHCHECK CMD true\n',
      ['notice base-digest @1', 'error non-root-user @1'],
    ],
    [
      'USER root in the final stage',
      'FROM debian:12\nUSER app\nUSER root\nHEALTHCHECK CMD true',
      ['notice base-digest @1', 'error non-root-user @3'],
    ],
    [
      'USER 0:0',
      'FROM debian:12\nUSER 0:0\nHEALTHCHECK CMD true',
      ['notice base-digest @1', 'error non-root-user @2'],
    ],
    [
      'USER only in the build stage, not the final one',
      'FROM debian:12 AS build\nUSER app\nFROM debian:12\nHEALTHCHECK CMD true',
      ['notice base-digest @1', 'notice base-digest @3', 'error non-root-user @3'],
    ],
    ['no tag', 'FROM debian\nUSER app\nHEALTHCHECK CMD true', ['error pinned-base @1']],
    [
      'latest',
      'FROM registry.example.com:5000/team/base:latest\nUSER app\nHEALTHCHECK CMD true',
      ['error pinned-base @1'],
    ],
    [
      'ARG-substituted base resolves to latest',
      'ARG TAG=latest\nFROM python:${TAG}\nUSER app\nHEALTHCHECK CMD true',
      ['error pinned-base @2'],
    ],
    [
      'ARG base without a default',
      'ARG BASE\nFROM ${BASE}\nUSER app\nHEALTHCHECK CMD true',
      ['warning pinned-base @2'],
    ],
    ['no HEALTHCHECK', 'FROM debian:12\nUSER app', ['notice base-digest @1', 'warning healthcheck @1']],
    [
      'ADD of a URL',
      'FROM debian:12\nADD https://example.com/tool.tgz /opt/\nUSER app\nHEALTHCHECK CMD true',
      ['notice base-digest @1', 'warning add-url @2'],
    ],
    [
      'literal secrets in ENV and ARG (both ENV forms)',
      'FROM debian:12\nARG GITHUB_TOKEN=ghp_abc\nENV DB_PASSWORD=hunter2 DEBUG=1\nENV AWS_SECRET_ACCESS_KEY abc/def\nENV API_KEY="x y"\nUSER app\nHEALTHCHECK CMD true',
      [
        'notice base-digest @1',
        'error secret-in-env @2',
        'error secret-in-env @3',
        'error secret-in-env @4',
        'error secret-in-env @5',
      ],
    ],
    [
      'apt-get install without cleanup, across a continuation',
      'FROM debian:12\nRUN apt-get update \\\n  && apt-get install -y curl\nUSER app\nHEALTHCHECK CMD true',
      ['notice base-digest @1', 'notice apt-lists @2'],
    ],
    ['no FROM', 'RUN echo hi\n', ['error no-from @1']],
  ])('%s', (_name, text, expected) => {
    expect(rules(lintDockerfile(text))).toEqual(expected)
  })

  it('resolves the base from the build args the build will pass', () => {
    const text = 'ARG TAG=3.12\nFROM python:${TAG}\nUSER app\nHEALTHCHECK CMD true'
    expect(rules(lintDockerfile(text, { buildArgs: { TAG: 'latest' } }))).toEqual(['error pinned-base @2'])
  })

  it('warns about secrets passed as build args, at their ARG', () => {
    const text = 'FROM debian:12\nARG NPM_TOKEN\nARG VERSION\nUSER app\nHEALTHCHECK CMD true'
    const findings = lintDockerfile(text, { buildArgs: { NPM_TOKEN: 'npm_abc', VERSION: '1.0' } })
    expect(rules(findings)).toEqual(['notice base-digest @1', 'warning secret-build-arg @2'])
    expect(findings.map((f) => f.message).join('\n')).not.toContain('npm_abc')
    expect(findings.at(-1)?.message).toContain("pass it in 'secrets' (NPM_TOKEN=…)")
    const renamed = lintDockerfile(text, { buildArgs: { NPM_TOKEN: 'x' }, secretsInput: 'build-secrets' })
    expect(renamed.at(-1)?.message).toContain("pass it in 'build-secrets'")
  })

  it('checks the target stage, not the last one', () => {
    const text = 'FROM debian:12 AS dev\nFROM debian:12 AS prod\nUSER app\nHEALTHCHECK CMD true'
    expect(rules(lintDockerfile(text, { target: 'dev' }))).toContain('error non-root-user @1')
    expect(rules(lintDockerfile(text, { target: 'prod' }))).not.toContain('error non-root-user @1')
  })

  it('names the secret but never prints its value', () => {
    const [finding] = lintDockerfile(
      'FROM debian:12\nENV DB_PASSWORD=hunter2\nUSER a\nHEALTHCHECK CMD true',
    ).filter((f) => f.rule === 'secret-in-env')
    expect(finding?.message).toContain('DB_PASSWORD')
    expect(finding?.message).not.toContain('hunter2')
  })
})

describe('Dockerfile parsing', () => {
  it('joins continuations, skips comments inside them and heredoc bodies, keeps line numbers', () => {
    const text = [
      'FROM debian:12',
      'RUN echo a \\',
      '# a comment inside',
      '    && echo b',
      'RUN <<EOF',
      'FROM not-an-instruction',
      'EOF',
      'USER app',
    ].join('\n')
    expect(parseInstructions(text).map((i) => [i.keyword, i.line, i.endLine])).toEqual([
      ['FROM', 1, 1],
      ['RUN', 2, 4],
      ['RUN', 5, 7],
      ['USER', 8, 8],
    ])
  })

  it('honours the escape directive', () => {
    const text = '# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n  c:\\'
    expect(parseInstructions(text).map((i) => i.args)).toContain('dir    c:\\')
  })

  it('links stages by name and index', () => {
    const dockerfile = parseDockerfile('FROM debian:12 AS Base\nFROM base AS two\nFROM 0\n')
    expect(dockerfile.stages.map((s) => s.parent)).toEqual([undefined, 0, 0])
  })

  it.each([
    ['${A}', { A: 'x' }, 'x'],
    ['$A-$B', { A: 'x', B: 'y' }, 'x-y'],
    ['${A:-def}', {}, 'def'],
    ['${A:+alt}', { A: 'x' }, 'alt'],
    ['${MISSING}', {}, undefined],
  ])('substitute %s', (text, values, expected) => expect(substitute(text, values)).toBe(expected))
})
