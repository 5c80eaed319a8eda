import { describe, expect, it } from '@jest/globals'
import {
  changedLineCoverage,
  formatPercent,
  lineDataFromCoverageJson,
  lineRanges,
  parseUnifiedDiff,
} from '../../../src/setup-django-test/changed-lines.js'

// A `git diff --unified=0` as git 2.39 writes it (added file, modified file with a pure deletion,
// a rename with a change, a deleted file, a quoted path).
const DIFF = `diff --git a/app/new.py b/app/new.py
new file mode 100644
index 0000000..1111111
--- /dev/null
+++ b/app/new.py
@@ -0,0 +1,3 @@
+def f():
+    return 1
+
diff --git a/app/views.py b/app/views.py
index 2222222..3333333 100644
--- a/app/views.py
+++ b/app/views.py
@@ -4 +4 @@ def index(request):
-    return 1
+    return 2
@@ -10,2 +9,0 @@ def other():
-    a = 1
-    b = 2
@@ -20,0 +19,2 @@ def more():
+    c = 3
+    d = 4
diff --git a/old.py b/gone.py
similarity index 90%
rename from old.py
rename to gone.py
--- a/old.py
+++ b/gone.py
@@ -1 +1 @@
-x = 1
+x = 2
diff --git a/dead.py b/dead.py
deleted file mode 100644
--- a/dead.py
+++ /dev/null
@@ -1 +0,0 @@
-y = 1
diff --git "a/caf\\303\\251.py" "b/caf\\303\\251.py"
--- "a/caf\\303\\251.py"
+++ "b/caf\\303\\251.py"
@@ -1 +1 @@
-z = 1
+z = 2
`

describe('changed lines from git diff', () => {
  it('reads the new side of each hunk, by the file after a rename; deletions add nothing', () => {
    const changed = parseUnifiedDiff(DIFF)
    expect(Object.fromEntries([...changed].map(([file, lines]) => [file, [...lines]]))).toEqual({
      'app/new.py': [1, 2, 3],
      'app/views.py': [4, 19, 20],
      'gone.py': [1],
      'café.py': [1],
    })
  })
})

describe('changed-line coverage', () => {
  const json = JSON.stringify({
    files: {
      'app/views.py': { executed_lines: [1, 2, 4, 19], missing_lines: [20, 30] },
      'app/new.py': { executed_lines: [], missing_lines: [1, 2] },
      '/elsewhere/lib.py': { executed_lines: [1], missing_lines: [] },
    },
  })

  it('counts changed statements coverage.py measured, lists those not run by file and line', () => {
    const data = lineDataFromCoverageJson(json, '/repo', '/repo')
    expect([...data.keys()]).toEqual(['app/views.py', 'app/new.py'])
    const result = changedLineCoverage(parseUnifiedDiff(DIFF), data)
    // views.py: 4 and 19 ran, 20 did not; new.py: 1 and 2 did not (3 is blank); gone.py is unmeasured.
    expect(result).toEqual({
      statements: 5,
      covered: 2,
      percent: 40,
      uncovered: [
        { file: 'app/new.py', lines: [1, 2] },
        { file: 'app/views.py', lines: [20] },
      ],
    })
  })

  it('maps names relative to the project folder onto repository paths', () => {
    const data = lineDataFromCoverageJson(
      JSON.stringify({ files: { 'views.py': { executed_lines: [4] } } }),
      '/repo/app',
      '/repo',
    )
    expect([...data.keys()]).toEqual(['app/views.py'])
  })

  it('has no figure when no changed line is a measured statement', () => {
    const result = changedLineCoverage(parseUnifiedDiff(DIFF), new Map())
    expect(result).toEqual({ statements: 0, covered: 0, percent: undefined, uncovered: [] })
  })

  it('writes line ranges and one-decimal figures that never round up to 100', () => {
    expect(lineRanges([1, 2, 3, 5, 7, 8])).toBe('1-3, 5, 7-8')
    expect(lineRanges([])).toBe('')
    expect(formatPercent(99.97)).toBe('99.9')
    expect(formatPercent(100)).toBe('100.0')
    expect(formatPercent(200 / 3)).toBe('66.7')
  })
})
