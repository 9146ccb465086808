/** Where in the query text something was found: 0-based offset, 1-based line and character. */
export interface JqlPosition {
  offset: number;
  line: number;
  character: number;
}

/**
 * The only error the JQL engine throws for bad input. The REST layer answers 400 with
 * `{"errorMessages": [message], "errors": {}}`, exactly like Jira does for a bad query.
 * Syntax errors carry the position; semantic ones (unknown field, value that resolves to nobody)
 * carry none, as in Jira.
 */
export class JqlError extends Error {
  readonly status = 400;
  readonly code = 'bad_request' as const;
  constructor(
    message: string,
    readonly position: JqlPosition | null = null,
  ) {
    super(message);
    this.name = 'JqlError';
  }
}

export function positionAt(text: string, offset: number): JqlPosition {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { offset, line, character: offset - lineStart + 1 };
}

/** A syntax error in Jira's wording: "Error in the JQL Query: <why>. (line 1, character 12)". */
export function syntaxError(text: string, offset: number, why: string): JqlError {
  const position = positionAt(text, offset);
  return new JqlError(`Error in the JQL Query: ${why} (line ${position.line}, character ${position.character})`, position);
}

/** A syntax error at the end of the input, which Jira reports without a position. */
export function endOfQueryError(text: string, why: string): JqlError {
  return new JqlError(`Error in the JQL Query: ${why}`, positionAt(text, text.length));
}
