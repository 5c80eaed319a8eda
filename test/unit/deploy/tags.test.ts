import { describe, expect, it } from '@jest/globals'
import { ecrTags, tagsOf } from '../../../src/deploy/tags.js'

describe('tagsOf', () => {
  it.each([
    [
      ['web:sha-abc1234', 'web:main'],
      ['sha-abc1234', 'main'],
    ],
    [['registry.local:5000/team/web:1.2.3'], ['1.2.3']],
    [['registry.local:5000/team/web'], ['latest']],
    [['web:a', 'other/web:a'], ['a']],
  ])('%j -> %j', (references, tags) => {
    expect(tagsOf(references)).toEqual(tags)
  })
})

describe('ecrTags', () => {
  it.each([
    [
      'derived on main: only the commit tag',
      ['web:main', 'web:latest', 'web:sha-abc1234'],
      false,
      ['sha-abc1234'],
    ],
    [
      'derived on a v tag: only the commit tag',
      ['web:1.2.3', 'web:1.2', 'web:latest', 'web:sha-abc1234'],
      false,
      ['sha-abc1234'],
    ],
    ['derived without a commit tag: all of them', ['web:main', 'web:latest'], false, ['main', 'latest']],
    ['given by the user: as given', ['web:main', 'web:sha-abc1234'], true, ['main', 'sha-abc1234']],
  ])('%s', (_case, references, userGaveTags, tags) => {
    expect(ecrTags(references, userGaveTags)).toEqual(tags)
  })
})
