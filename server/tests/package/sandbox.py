#!/usr/bin/env python3
"""Runs a command inside the sandbox that a systemd unit file describes, without systemd.

This machine has no systemd as PID 1, so `systemctl start essaim` cannot run here. This helper
re-creates the parts of the unit's [Service] sandbox that decide whether essaim and its managed
qbittorrent-nox can work at all, with the kernel's own mechanisms, as systemd does:

- seccomp filters (libseccomp, through ctypes): SystemCallFilter= (allow-list and ~deny-list,
  groups expanded by `systemd-analyze syscall-filter`, which is systemd's own table),
  SystemCallErrorNumber=, SystemCallArchitectures=native, MemoryDenyWriteExecute=,
  RestrictAddressFamilies=, RestrictNamespaces=yes;
- a private mount namespace (`unshare --mount`): ProtectSystem=strict (every mount read-only)
  with ReadWritePaths=, PrivateTmp=, ProtectHome=yes, PrivateDevices= (a /dev holding only
  null, zero, full, random, urandom, tty, pts and shm), ProtectProc=/ProcSubset= (a procfs
  mounted hidepid=invisible,subset=pid);
- User=, Group= (no supplementary groups), UMask=, WorkingDirectory=, CapabilityBoundingSet=
  (an empty bounding set), NoNewPrivileges= (set by libseccomp before loading the filters).

Not emulated (they add isolation but do not change what a working service may call):
PrivateUsers=, ProtectClock=/ProtectKernel*=/ProtectHostname= beyond the read-only mounts and
the filters above, LockPersonality=, RestrictRealtime= (its calls are already denied by
~@resources), RestrictSUIDSGID=, RemoveIPC=, the cgroup settings.

Usage (root):  unshare --mount --propagation private python3 sandbox.py UNIT -- CMD [ARG…]
The command runs with the environment given to this script (add HOME, USER… as systemd would).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import grp
import os
import pwd
import re
import subprocess
import sys

# libseccomp's constants (seccomp.h, libseccomp 2.5).
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_EQ = 4
SCMP_CMP_GE = 5
SCMP_CMP_MASKED_EQ = 7


def scmp_act_errno(e: int) -> int:
    return 0x00050000 | (e & 0xFFFF)


class ScmpArgCmp(ctypes.Structure):
    _fields_ = [("arg", ctypes.c_uint), ("op", ctypes.c_int),
                ("datum_a", ctypes.c_uint64), ("datum_b", ctypes.c_uint64)]


_lib = ctypes.CDLL(ctypes.util.find_library("seccomp") or "libseccomp.so.2", use_errno=True)
_lib.seccomp_init.restype = ctypes.c_void_p
_lib.seccomp_init.argtypes = [ctypes.c_uint32]
_lib.seccomp_rule_add_array.argtypes = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int,
                                        ctypes.c_uint, ctypes.POINTER(ScmpArgCmp)]
_lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
_lib.seccomp_load.argtypes = [ctypes.c_void_p]
_libc = ctypes.CDLL(None, use_errno=True)


class Filter:
    def __init__(self, default_action: int):
        self.ctx = _lib.seccomp_init(default_action)
        if not self.ctx:
            raise OSError("seccomp_init failed")

    def rule(self, action: int, name: str, *cmps: tuple) -> bool:
        nr = _lib.seccomp_syscall_resolve_name(name.encode())
        if nr < 0:
            return False  # not a system call of this architecture
        arr = (ScmpArgCmp * max(1, len(cmps)))(*[ScmpArgCmp(*c) for c in cmps])
        rc = _lib.seccomp_rule_add_array(self.ctx, action, nr, len(cmps), arr)
        if rc < 0:
            raise OSError(-rc, f"seccomp_rule_add({name}): {os.strerror(-rc)}")
        return True

    def load(self) -> None:
        rc = _lib.seccomp_load(self.ctx)
        if rc < 0:
            raise OSError(-rc, f"seccomp_load: {os.strerror(-rc)}")


# --------------------------------------------------------------------------------------------
# The unit file
# --------------------------------------------------------------------------------------------


def parse_service(path: str) -> dict[str, list[str]]:
    """[Service] settings, every assignment of a key kept in order."""
    out: dict[str, list[str]] = {}
    section = None
    for raw in open(path, encoding="utf-8"):
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        if section == "Service" and "=" in line:
            k, v = line.split("=", 1)
            out.setdefault(k.strip(), []).append(v.strip())
    return out


def last(unit: dict, key: str, default: str = "") -> str:
    return unit.get(key, [default])[-1]


def yes(unit: dict, key: str) -> bool:
    return last(unit, key, "no").lower() in ("yes", "true", "1", "on", "strict", "full")


_groups: dict[str, list[str]] | None = None


def syscall_groups() -> dict[str, list[str]]:
    """systemd's own table: `systemd-analyze syscall-filter` (group → members)."""
    global _groups
    if _groups is None:
        text = subprocess.run(["systemd-analyze", "syscall-filter", "--no-pager"],
                              capture_output=True, text=True, check=True, timeout=30).stdout
        groups: dict[str, list[str]] = {}
        current = None
        for line in text.splitlines():
            if line.startswith("@"):
                current = line.strip()
                groups[current] = []
            elif current and line.strip() and not line.strip().startswith("#"):
                groups[current].append(line.strip())
        _groups = groups
    return _groups


def expand(names: list[str], seen: set | None = None) -> set[str]:
    seen = set() if seen is None else seen
    out: set[str] = set()
    for n in names:
        if n.startswith("@"):
            if n in seen:
                continue
            seen.add(n)
            out |= expand(syscall_groups()[n], seen)
        else:
            out.add(n)
    return out


def syscall_allow_list(unit: dict) -> set[str] | None:
    """SystemCallFilter= as systemd merges its assignments: the first allow-list sets the list,
    later ones add to it, ~ lists remove from it. None when no allow-list is given."""
    allowed: set[str] | None = None
    for v in unit.get("SystemCallFilter", []):
        deny = v.startswith("~")
        names = expand(v.lstrip("~").split())
        if deny:
            if allowed is not None:
                allowed -= names
        else:
            allowed = names if allowed is None else allowed | names
    return allowed


AF = {"AF_UNIX": 1, "AF_INET": 2, "AF_INET6": 10, "AF_NETLINK": 16, "AF_PACKET": 17}
AF_MAX = 46
CLONE_NEW = {"mnt": 0x00020000, "cgroup": 0x02000000, "uts": 0x04000000, "ipc": 0x08000000,
             "user": 0x10000000, "pid": 0x20000000, "net": 0x40000000}
PROT_WRITE, PROT_EXEC, SHM_EXEC = 0x2, 0x4, 0o100000


def load_filters(unit: dict) -> None:
    """Loads the unit's seccomp filters into this process (inherited by what it executes). The
    kernel runs every loaded filter and keeps the strictest answer, as with systemd's several
    filters; the allow-list goes last (it may not allow seccomp() itself)."""
    err = getattr(errno, last(unit, "SystemCallErrorNumber", ""), None)
    # Without SystemCallErrorNumber=, systemd kills the process on a denied call.
    deny_action = scmp_act_errno(err) if err else 0x80000000  # SCMP_ACT_KILL_PROCESS

    if yes(unit, "MemoryDenyWriteExecute"):
        f = Filter(SCMP_ACT_ALLOW)
        f.rule(scmp_act_errno(errno.EPERM), "mmap",
               (2, SCMP_CMP_MASKED_EQ, PROT_WRITE | PROT_EXEC, PROT_WRITE | PROT_EXEC))
        for name in ("mprotect", "pkey_mprotect"):
            f.rule(scmp_act_errno(errno.EPERM), name, (2, SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC))
        f.rule(scmp_act_errno(errno.EPERM), "shmat", (2, SCMP_CMP_MASKED_EQ, SHM_EXEC, SHM_EXEC))
        f.load()

    families = " ".join(unit.get("RestrictAddressFamilies", [])).split()
    if families and not families[0].startswith("~"):
        allowed_af = {AF[a] for a in families}
        f = Filter(SCMP_ACT_ALLOW)
        for af in range(AF_MAX):
            if af not in allowed_af:
                f.rule(scmp_act_errno(errno.EAFNOSUPPORT), "socket", (0, SCMP_CMP_EQ, af, 0))
        f.rule(scmp_act_errno(errno.EAFNOSUPPORT), "socket", (0, SCMP_CMP_GE, AF_MAX, 0))
        f.load()

    if yes(unit, "RestrictNamespaces"):
        f = Filter(SCMP_ACT_ALLOW)
        for flag in CLONE_NEW.values():
            f.rule(scmp_act_errno(errno.EPERM), "unshare", (0, SCMP_CMP_MASKED_EQ, flag, flag))
            f.rule(scmp_act_errno(errno.EPERM), "clone", (0, SCMP_CMP_MASKED_EQ, flag, flag))
        f.rule(scmp_act_errno(errno.EPERM), "setns")
        # systemd answers ENOSYS to clone3 (its flags are out of seccomp's reach); glibc then
        # falls back to clone.
        f.rule(scmp_act_errno(errno.ENOSYS), "clone3")
        f.load()

    allowed = syscall_allow_list(unit)
    if allowed is not None:
        # SystemCallArchitectures=native: libseccomp's filter covers the native ABI only.
        f = Filter(deny_action)
        for name in sorted(allowed):
            f.rule(SCMP_ACT_ALLOW, name)
        # systemd lets the service's own start-up through whatever the list says.
        for name in ("execve", "exit", "exit_group", "rt_sigreturn"):
            f.rule(SCMP_ACT_ALLOW, name)
        f.load()


# --------------------------------------------------------------------------------------------
# Mounts (root, inside `unshare --mount --propagation private`)
# --------------------------------------------------------------------------------------------


def sh(*argv: str) -> None:
    subprocess.run(argv, check=True, timeout=30)


def mount_points() -> list[tuple[str, str]]:
    out = []
    for line in open("/proc/self/mountinfo", encoding="utf-8"):
        f = line.split()
        point = re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), f[4])
        out.append((point, f[5]))
    return out


def under(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip("/") + "/")


def setup_mounts(unit: dict) -> None:
    rw = " ".join(unit.get("ReadWritePaths", [])).split()
    rw = [p.lstrip("-") for p in rw if os.path.isdir(p.lstrip("-"))]
    for p in rw:  # own mount points, so that they stay writable
        sh("mount", "--bind", p, p)
    if last(unit, "ProtectSystem") == "strict":
        for point, opts in sorted(mount_points(), key=lambda m: len(m[0])):
            if "ro" in opts.split(",") or under(point, "/proc") or under(point, "/dev"):
                continue
            if any(under(point, p) for p in rw):
                continue
            # remount,bind: this mount point of this namespace only, never the file system.
            subprocess.run(["mount", "-o", "remount,bind,ro", point], timeout=30,
                           stderr=subprocess.DEVNULL)
    if yes(unit, "PrivateTmp"):
        for p in ("/tmp", "/var/tmp"):
            sh("mount", "-t", "tmpfs", "-o", "mode=1777,nosuid,nodev", "tmpfs", p)
    if last(unit, "ProtectHome") in ("yes", "true"):
        for p in ("/home", "/root", "/run/user"):
            if os.path.isdir(p):
                sh("mount", "-t", "tmpfs", "-o", "mode=000,nosuid,nodev,noexec", "tmpfs", p)
    if yes(unit, "PrivateDevices"):
        sh("mount", "-t", "tmpfs", "-o", "mode=755,nosuid,noexec", "tmpfs", "/dev")
        for name, major, minor in (("null", 1, 3), ("zero", 1, 5), ("full", 1, 7),
                                   ("random", 1, 8), ("urandom", 1, 9), ("tty", 5, 0)):
            os.mknod(f"/dev/{name}", 0o666 | 0o020000, os.makedev(major, minor))
            os.chmod(f"/dev/{name}", 0o666)
        os.mkdir("/dev/pts")
        os.mkdir("/dev/shm")
        sh("mount", "-t", "devpts", "-o", "newinstance,ptmxmode=0666,mode=620", "devpts",
           "/dev/pts")
        os.symlink("pts/ptmx", "/dev/ptmx")
        sh("mount", "-t", "tmpfs", "-o", "mode=1777,nosuid,nodev", "tmpfs", "/dev/shm")
        for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                             ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
            os.symlink(target, f"/dev/{name}")
    proc_opts = []
    if last(unit, "ProtectProc") in ("invisible", "noaccess", "ptraceable"):
        proc_opts.append("hidepid=" + last(unit, "ProtectProc"))
    if last(unit, "ProcSubset") == "pid":
        proc_opts.append("subset=pid")
    if proc_opts:
        sh("mount", "-t", "proc", "-o", ",".join(proc_opts + ["nosuid", "nodev", "noexec"]),
           "proc", "/proc")


def drop_capabilities_bounding_set() -> None:
    PR_CAPBSET_DROP = 24
    for cap in range(64):
        if _libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 and ctypes.get_errno() == errno.EINVAL:
            break


def main(argv: list[str]) -> int:
    if "--" not in argv or argv.index("--") != 1:
        print(__doc__, file=sys.stderr)
        return 2
    unit = parse_service(argv[0])
    cmd = argv[2:]
    if os.geteuid() != 0:
        print("sandbox.py: run as root inside unshare --mount", file=sys.stderr)
        return 2
    syscall_groups()  # before the mounts: systemd-analyze needs nothing special, but be early
    setup_mounts(unit)
    if "CapabilityBoundingSet" in unit and last(unit, "CapabilityBoundingSet") == "":
        drop_capabilities_bounding_set()
    user = last(unit, "User", "root")
    pw = pwd.getpwnam(user)
    gid = grp.getgrnam(last(unit, "Group")).gr_gid if "Group" in unit else pw.pw_gid
    os.setgroups([])
    os.setgid(gid)
    os.setuid(pw.pw_uid)
    if "UMask" in unit:
        os.umask(int(last(unit, "UMask"), 8))
    os.chdir(last(unit, "WorkingDirectory", "/"))
    load_filters(unit)
    os.execvp(cmd[0], cmd)
    return 127


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
