"""File > Connect to a team plan…: where the server is and who you log in as; the connection is made
off the UI thread, and a failure is said in one line under the fields, which stay filled in.

Everything but the password is remembered (ui.settings). An empty password lets libpq find it in
``~/.pgpass``, ``PGPASSFILE`` or a service file.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import DBAPIError

from tracker.team.connect import DEFAULT_PORT, ConnectError, TeamServer, why_not_connected
from ui.opening import Opened, open_team_plan
from ui.tasks import Task, TaskRunner

SSL_CHOICES = (
    ("prefer", "Prefer: encrypted when the server offers it"),
    ("require", "Require: always encrypted"),
    ("verify-full", "Verify: encrypted, and the server's certificate checked"),
    ("verify-ca", "Verify the certificate's authority only"),
    ("disable", "Disable: never encrypted (a test server)"),
)


class ConnectDialog(QDialog):
    """Asks for a team plan's server and login; ``opened`` holds the plan once connected."""

    def __init__(self, runner: TaskRunner, last: TeamServer | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Connect to a team plan")
        self.setAccessibleName("Connect to a team plan")
        self.runner = runner
        self.opened: Opened | None = None
        self.task: Task | None = None

        intro = QLabel(
            "Log in to the plan your team shares on a PostgreSQL server, as yourself. "
            "The server says what you may change."
        )
        intro.setWordWrap(True)
        self.host = QLineEdit()
        self.host.setPlaceholderText("db.example.org")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.port.setAccessibleName("Port")
        self.port.setMaximumWidth(self.port.fontMetrics().horizontalAdvance("655350") * 2)
        self.database = QLineEdit()
        self.database.setPlaceholderText("delivery_plan")
        self.login = QLineEdit()
        self.login.setPlaceholderText("your login, e.g. j.khan")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("leave empty to use your ~/.pgpass file")
        self.password.setToolTip("Never saved by the app. Leave it empty to use ~/.pgpass or a service file.")
        self.sslmode = QComboBox()
        for value, label in SSL_CHOICES:
            self.sslmode.addItem(label, value)
        self.sslmode.setAccessibleName("Secure connection")
        for widget, name in ((self.host, "Server"), (self.database, "Database"), (self.login, "Login"),
                             (self.password, "Password")):  # fmt: skip
            widget.setAccessibleName(name)

        form = QFormLayout()
        form.addRow("&Server:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&Login:", self.login)
        form.addRow("Pass&word:", self.password)
        form.addRow("S&ecure connection:", self.sslmode)
        self.problem = QLabel()
        self.problem.setObjectName("ConnectProblem")
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Why the connection failed")
        self.problem.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = self.buttons.addButton("Connect", QDialogButtonBox.ButtonRole.AcceptRole)
        self.connect_button.setDefault(True)
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
        if last is not None:
            self.fill(last)
        first_empty = next((w for w in (self.host, self.database, self.login) if not w.text()), self.password)
        first_empty.setFocus()

    def fill(self, server: TeamServer) -> None:
        self.host.setText(server.host)
        self.port.setValue(server.port)
        self.database.setText(server.database)
        self.login.setText(server.login)
        at = self.sslmode.findData(server.sslmode)
        self.sslmode.setCurrentIndex(max(at, 0))

    def server(self) -> TeamServer:
        return TeamServer(
            self.host.text().strip(), self.database.text().strip(), self.login.text().strip(),
            self.port.value(), str(self.sslmode.currentData()),
        )  # fmt: skip

    def start(self) -> Task | None:
        """Connect in the background; the dialog closes once the plan is open."""
        server = self.server()
        missing = [name for name, value in (("the server", server.host), ("the database", server.database),
                                            ("your login", server.login)) if not value]  # fmt: skip
        if missing:
            self._say(f"Give {' and '.join(missing)} to connect.")
            return None
        password = self.password.text()
        self._busy(True)
        self._say(f"Connecting to {server.where} as {server.login}…", failed=False)
        task = self.runner.task(lambda p: open_team_plan(server, password, p), label="Connecting")
        task.succeeded.connect(self._connected)
        task.failed.connect(lambda error: self._refused(error, server))
        self.task = task
        return task.start()

    def _connected(self, opened: Opened) -> None:
        if not self.isVisible():  # cancelled while connecting
            opened.store.close()
            return
        self.opened = opened
        self._busy(False)
        self.accept()

    def _refused(self, error: BaseException, server: TeamServer) -> None:
        self._busy(False)
        if isinstance(error, ConnectError):
            text = str(error)
        elif isinstance(error, DBAPIError):
            text = why_not_connected(error, server)
        else:
            text = f"Could not open the team plan on {server.where}: {error}"
        self._say(text)

    def _say(self, text: str, *, failed: bool = True) -> None:
        self.problem.setText(text)
        self.problem.setProperty("failed", failed)  # the stylesheet colours a failure
        self.problem.style().unpolish(self.problem)
        self.problem.style().polish(self.problem)
        self.problem.setVisible(True)

    def _busy(self, busy: bool) -> None:
        for widget in (self.host, self.port, self.database, self.login, self.password, self.sslmode,
                       self.connect_button):  # fmt: skip
            widget.setEnabled(not busy)
