-- 0008, PostgreSQL only (SQLite's session cache watches the WAL file): any change to users,
-- groups or sessions, by anyone, NOTIFYs essaim_auth once committed, and every instance drops
-- its session cache (app/cluster.cpp, Store::user_for_session).
CREATE FUNCTION essaim_auth_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('essaim_auth', '');
    RETURN NULL;
END
$$;
CREATE TRIGGER users_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON users
    FOR EACH STATEMENT EXECUTE FUNCTION essaim_auth_changed();
CREATE TRIGGER groups_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON groups
    FOR EACH STATEMENT EXECUTE FUNCTION essaim_auth_changed();
CREATE TRIGGER sessions_auth_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sessions
    FOR EACH STATEMENT EXECUTE FUNCTION essaim_auth_changed();
