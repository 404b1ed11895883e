"""A second throwaway PostgreSQL cluster of a test's own, to stop and start mid-test (the shared one
named by TRACKER_TEST_DATABASE_URL is never disturbed).

Logins over TCP need a password (SCRAM), as on a real server; the superuser ``postgres`` is trusted
from loopback so tests can set up. Port: TRACKER_TEST_SECOND_PG_PORT, else 55433.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HBA = """\
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
"""


def _bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_postgres(args: list[str]) -> None:
    if os.geteuid() == 0:  # the server refuses to run as root
        args = ["runuser", "-u", "postgres", "--", *args]
    subprocess.run(args, check=True, capture_output=True, timeout=120)


@dataclass
class Cluster:
    bin: Path
    folder: Path
    port: int
    up: bool = False

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def admin_url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.folder / "log"),
                      "-w", "-o", options, "start"])  # fmt: skip
        self.up = True

    def stop(self) -> None:
        _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"])
        self.up = False


@contextlib.contextmanager
def second_cluster() -> Iterator[Cluster]:
    if not os.environ.get("TRACKER_TEST_DATABASE_URL"):
        pytest.skip("TRACKER_TEST_DATABASE_URL is not set: no PostgreSQL to test against")
    bin_dir = _bin()
    if bin_dir is None:
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="dpt-pg-second."))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    cluster = Cluster(bin_dir, folder, int(os.environ.get("TRACKER_TEST_SECOND_PG_PORT", "55433")))
    try:
        _as_postgres([str(bin_dir / "initdb"), "-D", str(cluster.data), "-U", "postgres",
                      "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8"])  # fmt: skip
        hba = cluster.data / "pg_hba.conf"
        hba.write_text(HBA)
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)
