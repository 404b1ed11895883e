"""Build the one-folder app with PyInstaller: ``python -m tools.build`` (needs ``pip install -e '.[build]'``).

Draws the app's icon from resources/icons/app.svg (ICO for Windows, ICNS for macOS), runs
tools/tracker.spec, and prints where the folder is and its size. Outputs go under build/ and dist/
(both ignored by git); ``--dist`` and ``--work`` put them elsewhere. Nothing is reused from an
earlier build unless ``--keep-cache`` is given.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "tools" / "tracker.spec"
NAME = "DeliveryPlanTracker"


def draw_icons(out: Path) -> Path:
    """app.png, app.ico and (where Qt can write it) app.icns, drawn at 256 px from the app's SVG icon
    (Windows and macOS scale it down for smaller places)."""
    if sys.platform.startswith("linux"):  # a build machine or CI may have no display
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QByteArray, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QImageWriter, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([])
    svg = (ROOT / "resources" / "icons" / "app.svg").read_bytes().replace(b"currentColor", b"#1d70b8")
    renderer = QSvgRenderer(QByteArray(svg))
    out.mkdir(parents=True, exist_ok=True)
    image = QImage(256, 256, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    formats = {bytes(f).decode() for f in QImageWriter.supportedImageFormats()}
    for ext in ("png", "ico", "icns"):
        if ext in formats and not image.save(str(out / f"app.{ext}"), ext.upper()):
            raise SystemExit(f"error: could not write {out / f'app.{ext}'}")
    return out


def folder_size(folder: Path) -> tuple[int, int]:
    files = [p for p in folder.rglob("*") if p.is_file() and not p.is_symlink()]
    return sum(p.stat().st_size for p in files), len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.build", description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="where the app folder goes")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="PyInstaller's work folder")
    parser.add_argument("--keep-cache", action="store_true", help="reuse the work folder's analysis")
    args = parser.parse_args(argv)
    started = time.monotonic()
    icons = draw_icons(args.work / "icons")
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
               "--distpath", str(args.dist), "--workpath", str(args.work)]  # fmt: skip
    if not args.keep_cache:
        command.append("--clean")
    env = dict(os.environ, TRACKER_ICON_DIR=str(icons))
    subprocess.run([*command, str(SPEC)], cwd=ROOT, env=env, check=True)
    built = args.dist / NAME
    if sys.platform != "win32":  # the command line's name, one executable (see tools/tracker.spec)
        (built / "delivery-plan").symlink_to("delivery-plan-tracker")
    size, count = folder_size(built)
    print(f"Built {built}: {size / 1e6:.0f} MB in {count} files, in {time.monotonic() - started:.0f} s.")
    exe = ".exe" if sys.platform == "win32" else ""
    print(f"Run {built / f'delivery-plan-tracker{exe}'} (the app) or {built / f'delivery-plan{exe}'} --help.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
