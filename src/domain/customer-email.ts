/**
 * The one rule for a new customer's email (docs/product.md#customer-accounts), wherever a customer
 * is created: the console, the agent workspace, REST and the CSV import. Trimmed, then at most 254
 * characters of the form local@domain.tld, no spaces.
 */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

export const CUSTOMER_EMAIL_INVALID = 'The email address is not valid.';

/** The email as it would be stored (trimmed), or null when it is not a valid customer email. */
export function validCustomerEmail(raw: string): string | null {
  const email = raw.trim();
  return email && email.length <= 254 && EMAIL.test(email) ? email : null;
}
