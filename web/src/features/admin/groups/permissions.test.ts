import { describe, expect, it } from 'vitest';
import fr from '../../../i18n/fr.json';
import { PERMISSIONS } from './api';

/**
 * The server's permissions (server/src/auth/policy.cpp, read at test time like the journal's
 * actions in serverActions.test.ts) are the page's, in the same order, each with a French label:
 * a permission added on the server without its line here would show its raw name in the group
 * dialog.
 */
const policy = Object.values(
  import.meta.glob<string>('../../../../../server/src/auth/policy.cpp', { query: '?raw', import: 'default', eager: true }),
)[0]!;

function serverPermissions(source: string): string[] {
  const list = /all_permissions\(\)\s*\{[\s\S]*?=\s*\{([\s\S]*?)\};/.exec(source);
  return [...(list?.[1] ?? '').matchAll(/"([a-z_]+)"/g)].map(([, p]) => p!);
}

describe('group permissions', () => {
  it("are the server's, in its order", () => {
    expect(serverPermissions(policy)).toContain('add_torrents');
    expect([...PERMISSIONS]).toEqual(serverPermissions(policy));
  });

  it('each have a French label', () => {
    const labels = fr.adminGroups.permissions as Record<string, string>;
    expect(PERMISSIONS.filter((p) => !labels[p])).toEqual([]);
  });
});
