"""What the app remembers between runs (QSettings): appearance, recent plans, who you are per plan."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:  # imported where used: the start-up frame reads the settings before the core is imported
    from tracker.team.connect import TeamServer
    from ui.context import Identity

THEMES = ("system", "light", "dark")
RECENT_MAX = 8


@dataclass(frozen=True)
class Remembered:
    """Who someone said they were for one plan, and whether they chose the read-only viewer."""

    identity: Identity
    read_only: bool = False


class AppSettings:
    """A thin typed layer over QSettings; tests pass a QSettings on an ini file in tmp_path."""

    def __init__(self, qsettings: QSettings | None = None):
        self.q = qsettings if qsettings is not None else QSettings()

    # ------------------------------------------------------------------------------------------ view

    @property
    def theme(self) -> str:
        value = str(self.q.value("view/theme", "system"))
        return value if value in THEMES else "system"

    @theme.setter
    def theme(self, value: str) -> None:
        self.q.setValue("view/theme", value if value in THEMES else "system")

    @property
    def colour_blind(self) -> bool:
        return _bool(self.q.value("view/colour_blind", False))

    @colour_blind.setter
    def colour_blind(self, value: bool) -> None:
        self.q.setValue("view/colour_blind", bool(value))

    # ------------------------------------------------------------------------------------------ plans

    def recent(self) -> list[str]:
        raw = self.q.value("files/recent", "[]")
        try:
            items = json.loads(str(raw))
        except ValueError:
            return []
        return [str(x) for x in items if isinstance(x, str)][:RECENT_MAX]

    def add_recent(self, location: str) -> None:
        items = [location, *(x for x in self.recent() if x != location)][:RECENT_MAX]
        self.q.setValue("files/recent", json.dumps(items))

    def identity_for(self, location: str) -> Remembered | None:
        raw = self.q.value(f"identity/{_key(location)}")
        if not raw:
            return None
        from ui.context import Identity

        try:
            data = json.loads(str(raw))
            identity = Identity(str(data["name"]), data.get("person_id") or None, str(data.get("role", "")))
        except (ValueError, KeyError, TypeError):
            return None
        return Remembered(identity, bool(data.get("read_only", False)))

    def remember_identity(self, location: str, chosen: Remembered) -> None:
        i = chosen.identity
        data = {"name": i.name, "person_id": i.person_id, "role": i.role, "read_only": chosen.read_only}
        self.q.setValue(f"identity/{_key(location)}", json.dumps(data))

    # ------------------------------------------------------------------------------------------ team plan

    def team_server(self) -> TeamServer | None:
        """The team plan last connected to (never its password: libpq's ~/.pgpass can hold that)."""
        raw = self.q.value("team/last")
        if not raw:
            return None
        from tracker.team.connect import DEFAULT_PORT, TeamServer

        try:
            data = json.loads(str(raw))
            return TeamServer(
                str(data["host"]), str(data["database"]), str(data["login"]),
                int(data.get("port", DEFAULT_PORT)), str(data.get("sslmode", "prefer")),
            )  # fmt: skip
        except (ValueError, KeyError, TypeError):
            return None

    def remember_team_server(self, server: TeamServer) -> None:
        data = {"host": server.host, "port": server.port, "database": server.database,
                "login": server.login, "sslmode": server.sslmode}  # fmt: skip
        self.q.setValue("team/last", json.dumps(data))

    # ------------------------------------------------------------------------------------------ window

    def window_geometry(self) -> QByteArray | None:
        value = self.q.value("window/geometry")
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def remember_window_geometry(self, geometry: QByteArray) -> None:
        self.q.setValue("window/geometry", geometry)

    # ------------------------------------------------------------------------------------------ folders

    def last_folder(self, kind: str) -> Path | None:
        """Where the person last saved (or opened) a file of this kind: "exports", "returns", "imports"."""
        value = self.q.value(f"folders/{kind}")
        folder = Path(value) if isinstance(value, str) and value else None
        return folder if folder is not None and folder.is_dir() else None

    def remember_folder(self, kind: str, folder: Path) -> None:
        self.q.setValue(f"folders/{kind}", str(folder))

    def sync(self) -> None:
        self.q.sync()


def _key(location: str) -> str:
    """A settings key for a plan location (paths hold slashes, which QSettings reads as groups)."""
    return hashlib.sha1(location.encode("utf-8")).hexdigest()[:16]


def _bool(value: object) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes")
    return bool(value)
