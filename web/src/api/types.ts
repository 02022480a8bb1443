export type Role = 'admin' | 'user';

export interface User {
  id: number;
  username: string;
  display_name: string;
  email: string | null;
  role: Role;
  group: { id: number; name: string } | null;
  permissions: string[];
  created_at: number;
  last_login_at: number | null;
}

export interface Instance {
  site_name: string;
  registration_open: boolean;
  version: string;
}

export type QbtStatus = 'ok' | 'down' | 'unconfigured';

export interface Health {
  status: string;
  version?: string;
  database?: string;
  qbittorrent?: QbtStatus | string;
}

export interface LoginInput {
  username: string;
  password: string;
}

export interface RegisterInput {
  username: string;
  password: string;
  email?: string;
  display_name?: string;
}

export interface ProfileInput {
  display_name?: string;
  email?: string | null;
}

export interface PasswordInput {
  current_password: string;
  new_password: string;
}

/** Shape of every error body the server sends. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}
