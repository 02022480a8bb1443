import { startServer } from './server';

/** Starts the real `essaim serve`; the returned function is Playwright's teardown. */
export default async function globalSetup() {
  const server = await startServer();
  process.env.ESSAIM_E2E_URL = server.url;
  if (server.admin) {
    process.env.ESSAIM_E2E_ADMIN = server.admin.username;
    process.env.ESSAIM_E2E_ADMIN_PASSWORD = server.admin.password;
  }
  console.log(`essaim e2e: ${server.url} (pid ${server.pid}, data ${server.dataDir})`);
  return async () => {
    await server.stop();
  };
}
