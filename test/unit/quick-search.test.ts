import { describe, expect, it } from 'vitest';
import { interpretQuickSearch } from '../../src/domain/jql/quick-search.js';

describe('the issue search box: JQL, a key, or plain words', () => {
  it('JQL stays JQL, valid or not', () => {
    expect(interpretQuickSearch('reporter = "alice@customer.test"')).toEqual({ as: 'jql', jql: 'reporter = "alice@customer.test"' });
    expect(interpretQuickSearch('status = Open AND AND').as).toBe('jql'); // its syntax error is shown
    expect(interpretQuickSearch('summary ~ vpn').as).toBe('jql');
    expect(interpretQuickSearch('').as).toBe('jql');
  });

  it('a key opens its request, in any case', () => {
    expect(interpretQuickSearch(' help-2 ')).toEqual({ as: 'key', jql: 'key = "HELP-2"', key: 'HELP-2' });
    expect(interpretQuickSearch('HELP-0').as).not.toBe('key');
  });

  it('words without JQL syntax search the text', () => {
    expect(interpretQuickSearch('vpn')).toEqual({ as: 'text', jql: 'text ~ "vpn"', words: 'vpn' });
    expect(interpretQuickSearch('printer  not working')).toEqual({ as: 'text', jql: 'text ~ "printer not working"', words: 'printer not working' });
    expect(interpretQuickSearch('status').as).toBe('text');
    expect(interpretQuickSearch('back\\slash').jql).toBe('text ~ "back\\\\slash"');
  });
});
