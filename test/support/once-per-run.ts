/**
 * A template shared by the projects of one run: a project and its "(isolated)" twin both list the
 * same global setup, which builds the template for the first, hands it to the second, and removes
 * it when the last of them ends. Global setups run in vitest's main process, hence globalThis.
 */
export function oncePerRun<T>(key: string, build: () => Promise<{ value: T; remove: () => Promise<void> | void }>) {
  const shared = ((globalThis as Record<string, unknown>)[`portico:${key}`] ??= { users: 0, built: undefined }) as {
    users: number;
    built: ReturnType<typeof build> | undefined;
  };
  shared.users++;
  shared.built ??= build();
  return {
    value: shared.built.then((b) => b.value),
    async release() {
      if (--shared.users > 0) return;
      const built = shared.built;
      shared.built = undefined;
      await (await built)?.remove();
    },
  };
}
