// The admin console's pages in one module, so that the surface is one download (plus what it shares with
// another surface), not one file per page: docs/architecture.md, "The web app's files".
export * from './Landing';
export * from './OrgPages';
export * from './SiteAdmin';
