import type { FunctionOperand, ValueOperand } from './ast.js';
import { JqlError } from './errors.js';

// Operands of a clause: plain values and the JQL functions (currentUser(), now(), startOfDay(),
// endOfDay()) with the fields each suits.

export function valueOf(item: ValueOperand | FunctionOperand, label: string): string {
  if (item.kind === 'function') {
    throw new JqlError(`A value provided by the function '${item.name}' is invalid for the field '${label}'.`);
  }
  return item.text;
}

const FUNCTIONS: Record<string, { name: string; maxArgs: number }> = {
  currentuser: { name: 'currentUser', maxArgs: 0 },
  now: { name: 'now', maxArgs: 0 },
  startofday: { name: 'startOfDay', maxArgs: 1 },
  endofday: { name: 'endOfDay', maxArgs: 1 },
};

/** Checks that `item` names a known function that suits the field; returns its canonical name. */
export function checkFunction(item: FunctionOperand, allowed: string[], label: string): string {
  const known = Object.hasOwn(FUNCTIONS, item.name.toLowerCase()) ? FUNCTIONS[item.name.toLowerCase()] : undefined;
  if (!known) throw new JqlError(`Unable to find JQL function '${item.name}()'.`);
  if (!allowed.includes(known.name)) {
    throw new JqlError(`A value provided by the function '${known.name}' is invalid for the field '${label}'.`);
  }
  if (item.args.length > known.maxArgs) {
    throw new JqlError(
      `Function '${known.name}' expected at most '${known.maxArgs}' arguments but received '${item.args.length}'.`,
    );
  }
  return known.name;
}
