/**
 * An object whose methods are the ones given; any other method throws "not expected in this
 * test", so a test states exactly which side effects it allows.
 */
export function stub<T extends object>(partial: Partial<T>, label = 'stub'): T {
  return new Proxy(partial, {
    get(target, prop, receiver) {
      if (prop in target) return Reflect.get(target, prop, receiver)
      if (prop === 'then' || typeof prop === 'symbol') return undefined
      return () => {
        throw new Error(`${label}.${String(prop)} was not expected in this test`)
      }
    },
  }) as T
}

/** An `exec` port for tests of code that must not start a process. */
export const unexpectedExec = async (command: string): Promise<never> => {
  throw new Error(`exec('${command}') was not expected in this test`)
}
