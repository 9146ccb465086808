import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DISPLAY_NAME_CONTROL,
  DISPLAY_NAME_EMPTY,
  DISPLAY_NAME_MAX,
  DISPLAY_NAME_TOO_LONG,
  displayNameProblem,
  validDisplayName,
} from '../../src/domain/display-name.js';
import { AppError } from '../../src/domain/errors.js';

function refusal(raw: string): { status: number; message: string; fields: Record<string, string> } | null {
  try {
    validDisplayName(raw);
    return null;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return { status: e.status, message: e.message, fields: e.fieldErrors };
  }
}

describe('display names', () => {
  it('trims and keeps everything else as typed, in any script', () => {
    expect(validDisplayName('  Alice Example \u00a0')).toBe('Alice Example');
    for (const name of ['Zoë Ångström', '李小龍', 'محمد علي', 'O\'Brien-Smith', 'Bob (Deactivated)', '👩‍💻 Dev', 'نیم‌فاصله', '=1+1', 'a;=1', 'x']) {
      expect(validDisplayName(name)).toBe(name);
    }
  });

  it('refuses an empty or blank name', () => {
    for (const blank of ['', '   ', '\u3000\u00a0 ']) expect(refusal(blank)).toEqual({ status: 400, message: DISPLAY_NAME_EMPTY, fields: { displayName: DISPLAY_NAME_EMPTY } });
  });

  it('counts length in code points: 255 emoji pass, 256 characters do not', () => {
    expect(validDisplayName('😀'.repeat(DISPLAY_NAME_MAX))).toHaveLength(2 * DISPLAY_NAME_MAX);
    expect(validDisplayName('a'.repeat(DISPLAY_NAME_MAX))).toHaveLength(DISPLAY_NAME_MAX);
    expect(refusal('a'.repeat(DISPLAY_NAME_MAX + 1))?.message).toBe(DISPLAY_NAME_TOO_LONG);
    expect(refusal('😀'.repeat(DISPLAY_NAME_MAX + 1))?.message).toBe(DISPLAY_NAME_TOO_LONG);
    expect(DISPLAY_NAME_TOO_LONG).toBe('The name must be at most 255 characters.');
  });

  it('refuses control characters (C0, DEL, C1), line separators, unpaired surrogates and bidi controls', () => {
    const inside = ['\u0000', '\t', '\n', '\r', '\u001b', '\u007f', '\u0085', '\u009b', '\u2028', '\u2029', '\ud800', '\udfff',
      '\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
    for (const c of inside) {
      expect(refusal(`Ali${c}ce`), `U+${c.charCodeAt(0).toString(16)}`).toEqual({ status: 400, message: DISPLAY_NAME_CONTROL, fields: { displayName: DISPLAY_NAME_CONTROL } });
    }
    // the classic spoof: "Alice" + RIGHT-TO-LEFT OVERRIDE + "txt.exe"
    expect(displayNameProblem('invoice\u202eexe.pdf')).toBe(DISPLAY_NAME_CONTROL);
  });

  it('never throws anything but its 400, and what it accepts is trimmed, short and clean (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (raw) => {
        const r = refusal(raw);
        if (r) {
          expect(r.status).toBe(400);
          expect([DISPLAY_NAME_EMPTY, DISPLAY_NAME_TOO_LONG, DISPLAY_NAME_CONTROL]).toContain(r.message);
        } else {
          const name = validDisplayName(raw);
          expect(name).toBe(raw.trim());
          expect(name.length).toBeGreaterThan(0);
          expect([...name].length).toBeLessThanOrEqual(DISPLAY_NAME_MAX);
          expect(name).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
        }
      }),
      { numRuns: 500 },
    );
  });
});
