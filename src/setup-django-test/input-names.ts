/**
 * The name the user knows an input by (InputReader.name): this action's own, or a composing
 * action's. Messages that name an input take it from here, never from a literal.
 */
export type InputName = (input: string) => string

/** This action's own input names. */
export const ownNames: InputName = (input) => input
