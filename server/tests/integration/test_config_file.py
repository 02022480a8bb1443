"""14. `essaim serve --config f.toml`: the file's values, and the environment winning."""

import socket

from conftest import free_port, raw_request


def write_config(root, port, data_dir, extra=""):
    cfg = root / "f.toml"
    cfg.write_text(
        f'listen = "127.0.0.1:{port}"\n'
        f'data_dir = "{data_dir}"\n'
        f"{extra}"
        "[qbittorrent]\n"
        "managed = false\n")
    return cfg


def port_open(port):
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def test_listen_and_data_dir_from_the_file(essaim):
    root = essaim.new_root()
    file_port = free_port()
    data_dir = root / "donnees"
    cfg = write_config(root, file_port, data_dir)
    srv = essaim.start(args=["serve", "--config", str(cfg)], port=file_port, set_listen=False,
                       set_data_dir=False, env={"ESSAIM_QBT_MANAGED": None})
    assert "ESSAIM_LISTEN" not in srv.env and "ESSAIM_DATA_DIR" not in srv.env
    res = raw_request(file_port, "GET", "/api/health")
    assert res.status == 200
    # managed = false in the file: no qBittorrent started.
    assert res.json["qbittorrent"] == "unconfigured"
    assert (data_dir / "essaim.db").is_file()
    assert (data_dir / "secret.key").is_file()
    assert srv.admin_password  # a fresh data dir: first admin created there
    assert not (root / "data").exists()  # not the default ./data (cwd is the temp root)


def test_environment_overrides_the_file(essaim):
    root = essaim.new_root()
    file_port, env_port = free_port(), free_port()
    data_dir = root / "donnees"
    cfg = write_config(root, file_port, data_dir)
    srv = essaim.start(args=["--config", str(cfg), "serve"], port=env_port, set_data_dir=False,
                       env={"ESSAIM_LISTEN": f"127.0.0.1:{env_port}"})
    assert raw_request(env_port, "GET", "/api/health").status == 200
    assert not port_open(file_port)
    assert (data_dir / "essaim.db").is_file()  # data_dir still comes from the file
    assert srv.alive()


def test_invalid_config_file_fails_with_a_french_message(essaim):
    root = essaim.new_root()
    cfg = root / "bad.toml"
    cfg.write_text('listen = "127.0.0.1:notaport"\n')
    srv = essaim.start(args=["serve", "--config", str(cfg)], set_listen=False, wait_ready=False)
    assert srv.proc.wait(10) != 0
    assert "adresse d'écoute invalide" in srv.stderr() + srv.stdout()

    cfg.write_text("this is = = not toml\n")
    srv = essaim.start(args=["serve", "--config", str(cfg)], set_listen=False, wait_ready=False)
    assert srv.proc.wait(10) != 0
    assert "configuration" in srv.stderr() + srv.stdout()
