import { lazy } from 'react';
import { Navigate, Route, Routes } from 'react-router-dom';
import { Layout } from './components/Layout';
import { GuestOnly, RequireAuth, SessionExpiryWatcher } from './features/auth/guards';
import { LoginPage } from './features/auth/LoginPage';
import { RegisterPage } from './features/auth/RegisterPage';
import { DashboardPage } from './features/dashboard/DashboardPage';
import { NotFoundPage } from './features/errors/NotFoundPage';
import { LiveProvider } from './features/torrents/LiveProvider';

// Pages other than the dashboard and sign-in/sign-up load on first visit (their own chunk); Layout shows
// "Chargement…" meanwhile.
const TorrentsPage = lazy(() => import('./features/torrents/TorrentsPage').then((m) => ({ default: m.TorrentsPage })));
const TorrentDetailPage = lazy(() =>
  import('./features/torrents/TorrentDetailPage').then((m) => ({ default: m.TorrentDetailPage })),
);
const SearchPage = lazy(() => import('./features/search/SearchPage').then((m) => ({ default: m.SearchPage })));
const SettingsPage = lazy(() =>
  import('./features/admin/settings/SettingsPage').then((m) => ({ default: m.SettingsPage })),
);
const AuditPage = lazy(() => import('./features/admin/audit/AuditPage').then((m) => ({ default: m.AuditPage })));
const UsersPage = lazy(() => import('./features/admin/users/UsersPage').then((m) => ({ default: m.UsersPage })));
// "Mon compte" too: its dialogs (Applications) would otherwise bring Radix's dialog into the first page.
const AccountPage = lazy(() => import('./features/account/AccountPage').then((m) => ({ default: m.AccountPage })));
const GroupsPage = lazy(() => import('./features/admin/groups/GroupsPage').then((m) => ({ default: m.GroupsPage })));

export function App() {
  return (
    <>
      <SessionExpiryWatcher />
      <Routes>
        <Route element={<GuestOnly />}>
          <Route path="/connexion" element={<LoginPage />} />
          <Route path="/inscription" element={<RegisterPage />} />
        </Route>
        <Route element={<RequireAuth />}>
          <Route
            element={
              <LiveProvider>
                <Layout />
              </LiveProvider>
            }
          >
            <Route index element={<DashboardPage />} />
            <Route path="/torrents" element={<TorrentsPage key="mine" scope="mine" />} />
            <Route path="/tous" element={<TorrentsPage key="all" scope="all" />} />
            <Route path="/torrents/:hash" element={<TorrentDetailPage />} />
            <Route path="/recherche" element={<SearchPage />} />
            <Route path="/compte" element={<AccountPage />} />
            <Route path="/admin" element={<Navigate to="/admin/reglages" replace />} />
            <Route path="/admin/reglages" element={<SettingsPage />} />
            <Route path="/admin/journal" element={<AuditPage />} />
            <Route path="/admin/utilisateurs" element={<UsersPage />} />
            <Route path="/admin/groupes" element={<GroupsPage />} />
          </Route>
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
