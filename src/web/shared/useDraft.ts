import { useCallback, useState } from 'react';

// A draft kept in this browser's localStorage under `key`, so it survives navigation and reloads
// (docs/product.md#composer). Storage that is full or blocked only loses the draft, never the page.

function read<T>(key: string, fallback: T): T {
  try {
    const text = window.localStorage.getItem(key);
    return text === null ? fallback : { ...fallback, ...(JSON.parse(text) as Partial<T>) };
  } catch {
    return fallback;
  }
}

export function useDraft<T extends object>(key: string, empty: T, isEmpty: (value: T) => boolean): [T, (value: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => read(key, empty));
  const save = useCallback((next: T) => {
    setValue(next);
    try {
      if (isEmpty(next)) window.localStorage.removeItem(key);
      else window.localStorage.setItem(key, JSON.stringify(next));
    } catch {
      // storage full or disabled: the draft lives as long as the page
    }
  }, [key, isEmpty]);
  const clear = useCallback(() => save(empty), [save, empty]);
  return [value, save, clear];
}
