// Event payloads in the shape the runner writes to GITHUB_EVENT_PATH, trimmed to the fields a
// real payload carries around the ones we read (webhook docs: push, pull_request, workflow_dispatch).
const repository = {
  id: 123456789,
  name: 'shop',
  full_name: 'acme/shop',
  private: false,
  owner: { login: 'acme', id: 1, type: 'Organization' },
  html_url: 'https://github.com/acme/shop',
  default_branch: 'main',
  master_branch: 'main',
}

export const pushToBranch = {
  ref: 'refs/heads/feature/Add-Login_v2',
  before: '0000000000000000000000000000000000000000',
  after: '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39',
  created: true,
  deleted: false,
  forced: false,
  base_ref: null,
  compare: 'https://github.com/acme/shop/compare/feature/Add-Login_v2',
  commits: [],
  head_commit: { id: '4f2a9c1e8b7d6a5f4e3d2c1b0a9f8e7d6c5b4a39', message: 'Add login' },
  repository,
  pusher: { name: 'dev', email: 'dev@example.com' },
  sender: { login: 'dev', id: 2 },
}

export const pushToMain = { ...pushToBranch, ref: 'refs/heads/main', created: false }

export const pushOfTag = {
  ...pushToBranch,
  ref: 'refs/tags/v1.2.3',
  base_ref: 'refs/heads/main',
  created: true,
}

export const pushOfPrerelease = { ...pushOfTag, ref: 'refs/tags/v2.0.0-rc.1' }

export const pullRequest = {
  action: 'synchronize',
  number: 42,
  pull_request: {
    url: 'https://api.github.com/repos/acme/shop/pulls/42',
    id: 99,
    number: 42,
    state: 'open',
    title: 'Add login',
    head: {
      label: 'acme:feature/login',
      ref: 'feature/login',
      sha: 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12',
    },
    base: { label: 'acme:main', ref: 'main', sha: '1111111111111111111111111111111111111111' },
  },
  before: '2222222222222222222222222222222222222222',
  after: 'ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12',
  repository,
  sender: { login: 'dev', id: 2 },
}

export const workflowDispatch = {
  inputs: { environment: 'staging' },
  ref: 'refs/heads/main',
  repository,
  sender: { login: 'dev', id: 2 },
  workflow: '.github/workflows/release.yml',
}

/** A repository whose default branch is not main. */
export const pushToTrunk = {
  ...pushToBranch,
  ref: 'refs/heads/trunk',
  repository: { ...repository, default_branch: 'trunk' },
}
