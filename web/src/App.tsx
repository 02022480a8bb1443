import { Route, Routes } from 'react-router-dom';
import { Layout } from './components/Layout';
import { AccountPage } from './features/account/AccountPage';
import { GuestOnly, RequireAuth, SessionExpiryWatcher } from './features/auth/guards';
import { LoginPage } from './features/auth/LoginPage';
import { RegisterPage } from './features/auth/RegisterPage';
import { DashboardPage } from './features/dashboard/DashboardPage';
import { NotFoundPage } from './features/errors/NotFoundPage';

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
          <Route element={<Layout />}>
            <Route index element={<DashboardPage />} />
            <Route path="/compte" element={<AccountPage />} />
          </Route>
        </Route>
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </>
  );
}
