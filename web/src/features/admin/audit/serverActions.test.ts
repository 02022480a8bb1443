import { describe, expect, it } from 'vitest';
import { actionKey } from './auditView';

/**
 * Every action the server writes to the journal has a French label here: the server's sources
 * are read at test time (server/src, next to web/), so a new `audit(…, "torrent.recheck", …)`
 * without its line in fr.json fails this test rather than showing a generic label.
 */
const sources = import.meta.glob<string>('../../../../../server/src/**/*.{cpp,hpp}', {
  query: '?raw',
  import: 'default',
  eager: true,
});

const ACTION = /"([a-z_]+\.[a-z_]+)"/g;

/**
 * The action literals of a source file: those inside an `audit(…);` call (a ternary included),
 * and those given to a variable named `action` (which a call then passes, as the user update does).
 */
export function auditActions(source: string): string[] {
  const found = new Set<string>();
  const spans = [...source.matchAll(/\baudit\s*\(([\s\S]*?)\);/g), ...source.matchAll(/\baction\s*=\s*([^;]*);/g)];
  for (const [, span] of spans) for (const [, action] of span!.matchAll(ACTION)) found.add(action!);
  return [...found];
}

const serverActions = [...new Set(Object.values(sources).flatMap(auditActions))].sort();

describe('the journal knows every action of the server', () => {
  it('finds the server audit calls', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20);
    // A sample: if the scan found none of these, it is the scan that broke.
    for (const a of ['user.login', 'user.login_failed', 'user.role', 'admin.create', 'settings.test', 'torrent.add', 'torrent.limit_stop'])
      expect(serverActions).toContain(a);
  });

  it('has a French label for each', () => {
    expect(serverActions.filter((a) => actionKey(a) === null)).toEqual([]);
  });

  it('reads calls, ternaries and the action variable', () => {
    expect(
      auditActions(`
        audit(ctx, a, req, pause ? "torrent.pause" : "torrent.resume", "torrent", e->hash);
        std::string action = "user.update";
        if (disabled) action = *disabled ? "user.disable" : "user.enable";
        audit(ctx, a, req, action, "user", id, {{"username", "x.y"}});
        spdlog::info("not.audit");`).sort(),
    ).toEqual(['torrent.pause', 'torrent.resume', 'user.disable', 'user.enable', 'user.update', 'x.y']);
  });
});
