// The agent workspace's pages in one module, so that the surface is one download (plus what it shares with
// another surface), not one file per page: docs/architecture.md, "The web app's files".
export * from './CustomersPage';
export * from './IssueSearchPage';
export * from './QueuePage';
export * from './RequestPage';
export * from './OrganizationsPage';
export * from './KnowledgeBasePage';
export * from './SatisfactionPage';
export * from './RaiseRequestPage';
export * from './CannedResponses';
export * from './QueuesPage';
export * from './Sla';
export * from './ApprovalSettings';
