import { describe, expect, it } from 'vitest';
import { apiPaths, withQuery } from './paths';

describe('withQuery', () => {
  it('leaves out null and undefined, keeps the order, encodes the values', () => {
    expect(withQuery('/api/x', {})).toBe('/api/x');
    expect(withQuery('/api/x', { a: undefined, b: null })).toBe('/api/x');
    expect(withQuery('/api/x', { q: 'é &', n: 0, ok: false, e: '' })).toBe('/api/x?q=%C3%A9+%26&n=0&ok=false&e=');
  });
});

describe('apiPaths', () => {
  it('spells the fixed routes under /api', () => {
    expect(apiPaths.me).toBe('/api/me');
    expect(apiPaths.torrents).toBe('/api/torrents');
    expect(apiPaths.live).toBe('/api/ws');
    expect(apiPaths.adminSettingsTest('smtp')).toBe('/api/admin/settings/test/smtp');
    expect(apiPaths.adminSettingsTest('oidc')).toBe('/api/admin/settings/test/oidc');
    expect(apiPaths.torrentsBulk('pause')).toBe('/api/torrents/pause');
    expect(apiPaths.torrentsBulk('delete')).toBe('/api/torrents/delete');
    expect(apiPaths.adminServers).toBe('/api/admin/servers');
    expect(apiPaths.adminServersTest).toBe('/api/admin/servers/test');
    expect(withQuery(apiPaths.speed, { range: '1h', server: 2 })).toBe('/api/stats/speed?range=1h&server=2');
  });

  it('encodes the path segments', () => {
    expect(apiPaths.torrent('ab/c d')).toBe('/api/torrents/ab%2Fc%20d');
    expect(apiPaths.torrent('abc', 'files')).toBe('/api/torrents/abc/files');
    expect(apiPaths.adminUser(7)).toBe('/api/admin/users/7');
    expect(apiPaths.adminUser(7, 'password')).toBe('/api/admin/users/7/password');
    expect(apiPaths.adminUser(7, 'oidc')).toBe('/api/admin/users/7/oidc');
    expect(apiPaths.adminGroup(3)).toBe('/api/admin/groups/3');
    expect(apiPaths.searchRecentItem(12)).toBe('/api/search/recent/12');
    expect(apiPaths.adminServer(2)).toBe('/api/admin/servers/2');
  });
});
