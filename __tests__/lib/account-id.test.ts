import { describe, expect, it } from 'vitest';
import { accountIdOf } from '../../src/lib/account-id.js';
import { parseResourceId } from '../../src/config/resource-id.js';

const ACCOUNT = '/subscriptions/00000000-0000-0000-0000-000000000001/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct';

describe('accountIdOf', () => {
  it('is the account itself, or a project\'s parent', () => {
    expect(accountIdOf(ACCOUNT)).toBe(ACCOUNT);
    expect(accountIdOf(`${ACCOUNT}/projects/p.1`)).toBe(ACCOUNT);
  });

  it('reads the projects keyword in any casing, as the resource-ID grammar does', () => {
    const parsed = parseResourceId(`${ACCOUNT}/PROJECTS/p`);
    expect(parsed.ok).toBe(true);
    expect(accountIdOf(`${ACCOUNT}/PROJECTS/p`)).toBe(ACCOUNT);
    expect(accountIdOf(`${ACCOUNT}/Projects/p`)).toBe(ACCOUNT);
  });

  it('leaves an account whose name merely contains "projects" alone', () => {
    const odd = ACCOUNT.replace(/accounts\/acct$/, 'accounts/projects');
    expect(accountIdOf(odd)).toBe(odd);
  });
});
