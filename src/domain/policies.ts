/**
 * Who may do what (docs/architecture.md, "Who may do what"), in one place: one file per area under
 * policies/, pure functions over plain facts answering allow, deny-as-403 or deny-as-404. A use case
 * loads the facts (db/queries), asks, and throws the error a denial calls for. This module gathers
 * them for callers that need several areas (and the Actor type).
 */
export * from './policies/actor.js';
export * from './policies/customer-organizations.js';
export * from './policies/customers.js';
export * from './policies/filters.js';
export * from './policies/org.js';
export * from './policies/people.js';
export * from './policies/projects.js';
export * from './policies/requests.js';
export * from './policies/site-settings.js';
export * from './policies/tokens.js';
export * from './policies/access-reviews.js';
