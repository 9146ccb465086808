import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifySchemaValidationError, FastifyServerOptions } from 'fastify';

// Fastify compiles every route's validators (ajv) and response serializers (fast-json-stringify) as
// the app starts: about 0.35 s of CPU for Portico's routes, a tenth of a cold start and of every
// integration test file's app. These compile each one the first time its route is used instead
// (docs/architecture.md, "Starting fast"); what they compile and how it behaves is unchanged, and
// test/integration/contract.test.ts still exercises every route's schemas.

interface Validator {
  (data: unknown): boolean;
  errors?: FastifySchemaValidationError[] | null;
}

/** A validator that compiles `schema` with `compile` on its first call, then is that compiled validator. */
export function lazyValidator(compile: () => { (data: unknown): boolean | Promise<unknown>; errors?: unknown }): Validator {
  let compiled: ReturnType<typeof compile> | undefined;
  const validate: Validator = (data) => {
    compiled ??= compile();
    // Portico's ajv schemas are synchronous (no $async): a boolean
    const valid = compiled(data) as boolean;
    // Fastify reads a failed validation's errors from the function it was given
    validate.errors = compiled.errors as Validator['errors'];
    return valid;
  };
  return validate;
}

type SerializerFactory = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildSerializer']>;

/** Fastify's own serializer factory (fast-json-stringify), each route's serializer built on first use. */
export const lazySerializerFactory: SerializerFactory = (externalSchemas, serializerOptions) => {
  const build = SerializerSelector()(externalSchemas as never, serializerOptions as never);
  return (route) => {
    let serialize: ((data: unknown) => string) | undefined;
    return (data: unknown) => (serialize ??= build(route as never) as (data: unknown) => string)(data);
  };
};
