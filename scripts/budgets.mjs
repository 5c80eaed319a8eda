// The budgets every action's bundle is held to (DESIGN.md, "Size and start"): check-dist fails
// on the size, bench reports both. The anchors are what typical third-party actions weigh.
/** One dist/<name>/ folder, split-off chunks included, in bytes. */
export const FOLDER_BUDGET_BYTES = 4_000_000
/** A bad input fails within this many milliseconds above bare Node's start. */
export const BAD_INPUT_BUDGET_MS = 100
export const ANCHORS = 'typical third-party actions: 2.4–3.9 MB, +232–359 ms'
