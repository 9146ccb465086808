import { useEffect, useState } from 'react';

/** `value`, once it has stayed the same for `ms` milliseconds (what a search-as-you-type asks for). */
export function useDebouncedValue<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}
