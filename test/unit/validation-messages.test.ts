import { describe, expect, it } from 'vitest';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { Type, type TSchema } from 'typebox';
import { plainValidation, readable } from '../../src/http/validation-messages.js';

// The same ajv options as the app (src/http/app.ts): verbose, so a refusal carries its schema.
const ajv = addFormats.default(new Ajv({ removeAdditional: false, useDefaults: true, allErrors: false, strict: false, strictNumbers: true, verbose: true }));

function refuse(schema: TSchema, value: unknown, options: { rest?: boolean; context?: string } = {}) {
  const validate = ajv.compile(schema);
  expect(validate(value)).toBe(false);
  return plainValidation(validate.errors as never, options.context ?? 'body', options.rest ?? false);
}

describe('validation messages in words people understand', () => {
  it('names a field by its title, or its property name made readable, and says what is wrong', () => {
    const comment = Type.Object({ body: Type.String({ maxLength: 40_000, title: 'A comment' }) });
    expect(refuse(comment, { body: 'x'.repeat(40_001) })).toEqual({
      message: 'A comment can be at most 40,000 characters.',
      errors: { body: 'A comment can be at most 40,000 characters.' },
    });
    expect(refuse(comment, {}).message).toBe('A comment is required.');
    const profile = Type.Object({ displayName: Type.String({ minLength: 1, maxLength: 255 }), email: Type.String({ format: 'email' }) });
    expect(refuse(profile, { displayName: '', email: 'a@b.test' }).message).toBe('Display name is required.');
    expect(refuse(profile, { displayName: 'Ada', email: 'not an address' }).message).toBe('Email must be an email address.');
    expect(refuse(profile, { displayName: 7, email: 'a@b.test' }).message).toBe('Display name must be text.');
  });

  it('numbers, lists and choices', () => {
    const page = Type.Object({ maxResults: Type.Integer({ minimum: 1, maximum: 5000 }) });
    expect(refuse(page, { maxResults: 6000 }).message).toBe('Max results can be at most 5,000.');
    expect(refuse(page, { maxResults: 1.5 }).message).toBe('Max results must be a whole number.');
    const invite = Type.Object({ emails: Type.Array(Type.String(), { minItems: 1, maxItems: 100 }) });
    expect(refuse(invite, { emails: [] }).message).toBe('Emails needs at least one item.');
    const mode = Type.Object({ userManagement: Type.Union([Type.Literal('original'), Type.Literal('centralized')]) });
    expect(refuse(mode, { userManagement: 'other' }).message).toBe('User management must be “original” or “centralized”.');
  });

  it("a union of types says why the value's own type refused it", () => {
    const fields = Type.Object({ fields: Type.Record(Type.String(), Type.Union([Type.String({ maxLength: 10, title: 'Description' }), Type.Object({ id: Type.String() })])) });
    expect(refuse(fields, { fields: { description: 'x'.repeat(11) } }).message).toBe('Description can be at most 10 characters.');
  });

  it('an unknown field is named as it was sent; on the REST API every field is', () => {
    const strict = Type.Object({ isAdmin: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
    expect(refuse(strict, { isadmin: true }).errors).toEqual({ isadmin: "There is no field 'isadmin' here." });
    const page = Type.Object({ maxResults: Type.Integer({ maximum: 5000 }) });
    expect(refuse(page, { maxResults: 6000 }, { rest: true, context: 'querystring' }).message).toBe("'maxResults' can be at most 5,000.");
  });

  it('never shows the validator’s own text', () => {
    const schemas: Array<[TSchema, unknown]> = [
      [Type.Object({ a: Type.String({ pattern: '^[a-z]+$' }) }), { a: 'A1' }],
      [Type.Object({ a: Type.Array(Type.String(), { uniqueItems: true }) }), { a: ['x', 'x'] }],
      [Type.Object({ a: Type.Number({ exclusiveMinimum: 0 }) }), { a: 0 }],
      [Type.Object({ a: Type.String({ format: 'uuid' }) }), { a: 'nope' }],
    ];
    for (const [schema, value] of schemas) {
      const { message } = refuse(schema, value);
      expect(message).not.toMatch(/must NOT|must match|must be equal|should|instancePath|format "/);
      expect(message).toMatch(/^A /);
    }
  });

  it('readable names', () => {
    expect(readable('displayName')).toBe('Display name');
    expect(readable('request_type_id')).toBe('Request type ID');
    expect(readable('jql')).toBe('JQL');
  });
});

describe('when to try again, in words', () => {
  it('rounds up, so trying at the time said is not refused for the same reason', async () => {
    const { tryAgainIn } = await import('../../src/domain/login-throttle.js');
    expect(tryAgainIn(0.2)).toBe('in 1 second');
    expect(tryAgainIn(45)).toBe('in 45 seconds');
    expect(tryAgainIn(60)).toBe('in 1 minute');
    expect(tryAgainIn(61)).toBe('in 2 minutes');
    expect(tryAgainIn(15 * 60)).toBe('in 15 minutes');
    expect(tryAgainIn(89 * 60)).toBe('in 89 minutes');
    expect(tryAgainIn(3 * 3600)).toBe('in 3 hours');
  });
});
