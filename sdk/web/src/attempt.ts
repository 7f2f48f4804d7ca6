/** The result of action, or undefined when it throws: for reading what may throw. */
export function attempt<T>(action: () => T): T | undefined {
  try {
    return action();
  } catch {
    return undefined;
  }
}
