-- 0008, PostgreSQL only (SQLite's session cache watches the WAL file; the version counts there
-- too): every essaim instance caches who owns a session (the lookup behind every authenticated
-- request). Any change to users, groups or sessions — by an instance, the CLI or psql — tells
-- them all to drop that cache: the trigger NOTIFYs essaim_auth, app/cluster.cpp LISTENs
-- (store/store.cpp, user_for_session). NOTIFYs with the same payload in one transaction are
-- delivered once, after the commit.
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
