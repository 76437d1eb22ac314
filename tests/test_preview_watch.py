"""`jacviz preview --watch`: one warm process, a forked child per redraw (issue 20, item 1).

Every test waits for events (stage markers from ``JACVIZ_STAGE_LOG``, output files), never
for a number of seconds.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_interrupts import HOW, HOW_IDS, Command, assert_stopped_cleanly

ROOT = Path(__file__).resolve().parent.parent
CONFIG = "[jacobian-grid]\npoint = [{}]\n"


def _write(path: Path, text: str, mtime_ns: int | None = None) -> None:
    """Write a file whole, in one rename, as an editor saves it: the watch never reads half
    of it (which would be a change of its own, drawn before the whole edit)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text)
    if mtime_ns is not None:
        os.utime(tmp, ns=(mtime_ns, mtime_ns))
    os.replace(tmp, path)


def _children(pid: int) -> list[tuple[int, str]]:
    """Every process whose parent is ``pid``, zombies too: (pid, state)."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        if int(fields[1]) == pid:
            out.append((int(entry), fields[0].decode()))
    return out


def _next(cmd: Command, name: str) -> list[str]:
    """Wait for the next stage ``name`` (those seen before are dropped first)."""
    cmd.stages.clear()
    return cmd.wait_for(name)


def _drawn(cmd: Command) -> list[str]:
    """The stage ``preview-child <watch pid> <child pid> <how>`` of the redraw just done."""
    (words,) = [w for w in cmd.stages if w[0] == "preview-child"]
    return words


@pytest.fixture
def start():
    """Start a watch (a :class:`Command`); whatever the test left running when it failed is
    killed afterwards, with its whole process group (the watch and its children)."""
    started = []

    def run(*args, **kwargs) -> Command:
        cmd = Command(*args, **kwargs)
        started.append(cmd)
        return cmd

    yield run
    for cmd in started:
        if cmd.proc.poll() is None:
            os.killpg(cmd.proc.pid, signal.SIGKILL)
            cmd.proc.communicate()


@pytest.fixture
def watched(warm_tex, tmp_path):
    cwd = tmp_path / "work"
    shutil.copytree(warm_tex, cwd)
    cfg = cwd / "c.toml"
    _write(cfg, CONFIG.format("1, 2"))
    return cwd, cfg, cwd / "board.png"


@pytest.fixture(scope="module")
def warm_tex(tmp_path_factory):
    """A working folder whose TeX cache holds jacobian-grid's snippets (its storyboard drawn)."""
    cwd = tmp_path_factory.mktemp("warm")
    res = subprocess.run([str(Path(sys.executable).parent / "jacviz"), "preview", "jacobian-grid",
                          "--out", str(cwd / "first.png")], cwd=cwd, capture_output=True,
                         text=True, timeout=900)
    assert res.returncode == 0, res.stderr
    (cwd / "first.png").unlink()
    shutil.rmtree(cwd / "media" / "preview")  # no storyboard reused: every redraw draws
    return cwd


def test_each_redraw_is_forked_from_one_warm_process(start, watched, warm_tex, tmp_path):
    cwd, cfg, out = watched
    cmd = start(["preview", "jacobian-grid", "--config", str(cfg), "--out", str(out), "--watch"],
                  cwd)
    assert cmd.wait_for("watch-warm")[1] == str(cmd.proc.pid)  # the imports, once
    # the parameters resolved once in the watch itself: their sympy work cached for children
    assert cmd.wait_for("watch-params")[1:] == [str(cmd.proc.pid), "resolved"]
    cmd.wait_for("watching")
    first = _drawn(cmd)
    assert first[1] == str(cmd.proc.pid) and first[3] == "fork", first
    child = int(first[2])
    assert child != cmd.proc.pid
    # the child drew: its own stages, under its own pid
    assert ["tile", str(child)] in cmd.stages
    board = out.read_bytes()
    assert _children(cmd.proc.pid) == []  # reaped: no zombie left behind
    # the child handed the TeX SVGs it parsed back to the watch (for the next child)
    (adopted,) = [int(w[2]) for w in cmd.stages if w[0] == "watch-adopted"]
    assert adopted > 10
    _write(cfg, CONFIG.format("2, 1"))
    _next(cmd, "watching")
    second = _drawn(cmd)
    assert second[1] == str(cmd.proc.pid) and second[3] == "fork" and int(second[2]) != child
    assert out.read_bytes() != board
    assert _children(cmd.proc.pid) == []
    # only what the new point added was parsed anew; the board is the one a fresh process draws
    (added,) = [int(w[2]) for w in cmd.stages if w[0] == "watch-adopted"]
    assert 0 < added < adopted
    elsewhere = shutil.copytree(warm_tex, tmp_path / "elsewhere")  # no storyboard to reuse
    fresh = subprocess.run([str(Path(sys.executable).parent / "jacviz"), "preview", "jacobian-grid",
                            "--config", str(cfg), "--out", str(tmp_path / "fresh.png")],
                           cwd=elsewhere, capture_output=True, text=True, timeout=900)
    assert fresh.returncode == 0, fresh.stderr
    assert (tmp_path / "fresh.png").read_bytes() == out.read_bytes()
    # a bad edit: the child's one error line, and the watch keeps watching
    _write(cfg, CONFIG.format("1, 2, 3"))
    _next(cmd, "watching")
    assert _drawn(cmd)[3] == "fork"
    _write(cfg, CONFIG.format("2, 1"))  # back to a good value: drawn again, still forked
    _next(cmd, "watching")
    assert _drawn(cmd)[3] == "fork" and out.read_bytes() != board
    status, stdout, err = cmd.interrupt(signal.SIGINT)
    assert stdout.splitlines() == ["storyboard: board.png"] * 3, stdout
    bad, rest = err.split("\n", 1)  # the bad edit's one line, then the watch's own
    assert bad.startswith("error: ") and "parameter point has 3 numbers" in bad, err
    assert_stopped_cleanly(cmd, signal.SIGINT, status, rest)


@pytest.mark.parametrize("sig,group", HOW, ids=HOW_IDS)
def test_interrupt_the_watch_while_a_child_draws(sig, group, start, watched):
    """Ctrl-C (to the watch, or to its whole group as a terminal sends it) while the forked
    child is drawing: both stop, one error line, no child left, no half-made storyboard."""
    cwd, cfg, out = watched
    out.write_bytes(b"previous storyboard")
    cmd = start(["preview", "jacobian-grid", "--config", str(cfg), "--out", str(out), "--watch"],
                  cwd, hold="tile")
    words = cmd.wait_for("tile")
    child = int(words[1])
    assert child != cmd.proc.pid and ["preview-child", str(cmd.proc.pid), str(child), "fork"] \
        in cmd.stages
    status, _, err = cmd.interrupt(sig, group)
    assert_stopped_cleanly(cmd, sig, status, err)
    assert out.read_bytes() == b"previous storyboard"
    assert sorted(p.name for p in cwd.iterdir() if p.name.startswith((".board", "board"))) == \
        ["board.png"]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_to_the_child_ends_only_that_redraw(sig, start, watched):
    cwd, cfg, out = watched
    out.write_bytes(b"previous storyboard")
    cmd = start(["preview", "jacobian-grid", "--config", str(cfg), "--out", str(out), "--watch"],
                  cwd, hold="tile")
    child = int(cmd.wait_for("tile")[1])
    os.kill(child, sig)
    cmd.wait_for("watching")  # the watch goes on
    assert cmd.proc.poll() is None
    assert _children(cmd.proc.pid) == []  # the child is gone and reaped
    assert out.read_bytes() == b"previous storyboard"  # nothing half-made
    _write(cfg, CONFIG.format("2, 1"))  # the next change is drawn by a new child
    again = int(_next(cmd, "tile")[1])
    assert again not in (child, cmd.proc.pid)
    status, _, err = cmd.interrupt(signal.SIGINT, group=True)
    # the first child's own line (its redraw was interrupted), then the watch's
    assert err.startswith("error: interrupted\n"), err
    assert_stopped_cleanly(cmd, signal.SIGINT, status, err.removeprefix("error: interrupted\n"))
    assert out.read_bytes() == b"previous storyboard"


def _package_copy(dest: Path) -> Path:
    """jacviz and its scenes copied as an installed wheel lays them out (jacviz/scenes/), to be
    edited by the test without touching the checkout; put first on PYTHONPATH."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "jacviz", dest / "jacviz", ignore=ignore)
    shutil.copytree(ROOT / "scenes", dest / "jacviz" / "scenes", ignore=ignore)
    return dest


def test_edited_code_takes_effect(start, watched, tmp_path, monkeypatch):
    """An edited scene is read anew by the next child (even within the same second and with
    the same size, where a .pyc's stamp cannot tell); an edited package makes the watch
    re-execute itself (the same pid), warm again with the new code; a package edit that
    crashes is shown and the watch stays, drawing in fresh processes."""
    cwd, cfg, out = watched
    pkg = _package_copy(tmp_path / "pkg")
    monkeypatch.setenv("PYTHONPATH", str(pkg))
    monkeypatch.delenv("PYTHONDONTWRITEBYTECODE", raising=False)  # .pyc files written, as usual
    scene = pkg / "jacviz" / "scenes" / "jacobian_grid.py"
    source = scene.read_text()
    mark = 'import sys as _s; print("edited scene {}", file=_s.stderr)\n'
    second = time.time_ns() // 10**9 * 10**9  # every edit stamped within this second
    _write(scene, source + mark.format(1), second + 1000)
    cmd = start(["preview", "jacobian-grid", "--config", str(cfg), "--out", str(out), "--watch"],
                  cwd, program=(sys.executable, "-m", "jacviz"))
    cmd.wait_for("watching")
    assert _drawn(cmd)[3] == "fork"
    for k in (2, 3):  # the same size and second: a .pyc's stamp cannot tell the edit
        _write(scene, source + mark.format(k), second + 1000 + k)
        _next(cmd, "watching")
        assert _drawn(cmd)[3] == "fork"
    # a scene that crashes: its traceback, and the watch keeps watching, warm
    _write(scene, source + 'raise RuntimeError("broken scene")\n')
    _next(cmd, "watching")
    assert _drawn(cmd)[3] == "fork" and _children(cmd.proc.pid) == []
    _write(scene, source + mark.format(3))
    _write(cfg, CONFIG.format("3, 2"))
    _next(cmd, "watching")
    assert _drawn(cmd)[3] == "fork"
    # the package itself: a fresh process draws, then the watch becomes a fresh warm one
    style = pkg / "jacviz" / "kit" / "style.py"
    _write(style, style.read_text() + "\n# edited\n")
    _next(cmd, "watch-warm")
    assert cmd.stages[-1] == ["watch-warm", str(cmd.proc.pid)]  # exec keeps the pid
    fresh = _drawn(cmd)
    assert fresh[1] == str(cmd.proc.pid) and fresh[3] == "fresh"
    assert ["watch-reexec", str(cmd.proc.pid)] in cmd.stages
    assert "watching" not in [s[0] for s in cmd.stages]
    _write(cfg, CONFIG.format("2, 1"))
    cmd.wait_for("watching")
    # the re-executed watch did not draw again what the fresh process drew: one redraw, forked
    after = cmd.stages[cmd.stages.index(["watch-warm", str(cmd.proc.pid)]):]
    assert [s[3] for s in after if s[0] == "preview-child"] == ["fork"]
    # a package edit that breaks the code: its traceback shown, the watch stays, cold
    _write(style, style.read_text() + 'raise RuntimeError("broken kit")\n')
    _next(cmd, "watching")
    assert _drawn(cmd)[3] == "fresh" and not [s for s in cmd.stages if s[0] == "watch-reexec"]
    _write(cfg, CONFIG.format("1, 2"))
    _next(cmd, "watching")
    assert _drawn(cmd)[3] == "fresh"
    _write(style, style.read_text().replace('raise RuntimeError("broken kit")\n', ""))
    _next(cmd, "watch-warm")  # repaired: warm again
    _write(cfg, CONFIG.format("3, 1"))
    _next(cmd, "watching")
    assert _drawn(cmd)[3] == "fork"
    status, stdout, err = cmd.interrupt(signal.SIGINT)
    lines = err.splitlines()
    edits = [ln for ln in lines if ln.startswith("edited scene")]
    # each child imported the scene anew (1, 2, 3), and every later draw the last edit
    assert edits[:3] == ["edited scene 1", "edited scene 2", "edited scene 3"], edits
    assert set(edits[3:]) == {"edited scene 3"}, edits
    assert "RuntimeError: broken kit" in err and "RuntimeError: broken scene" in err
    assert lines[-1] == "error: interrupted" and status == 130
    assert not cmd.leftovers()
    assert list((scene.parent / "__pycache__").glob("jacobian_grid.*.pyc"))  # there to be stale


def test_a_watch_started_on_a_bad_value_says_so_and_watches(start, watched):
    """The watch resolves the starting parameters itself (to warm sympy for its children);
    a bad value there is not its error: the first child says it in the CLI's one line."""
    cwd, cfg, out = watched
    _write(cfg, CONFIG.format("1, 2, 3"))
    cmd = start(["preview", "jacobian-grid", "--config", str(cfg), "--out", str(out), "--watch"],
                cwd)
    assert cmd.wait_for("watch-params")[1:] == [str(cmd.proc.pid), "refused"]
    cmd.wait_for("watching")
    assert _drawn(cmd)[3] == "fork" and not out.exists()
    _write(cfg, CONFIG.format("2, 1"))
    _next(cmd, "watching")
    assert out.exists()
    status, stdout, err = cmd.interrupt(signal.SIGINT)
    assert stdout.splitlines() == ["storyboard: board.png"], stdout
    bad, rest = err.split("\n", 1)
    assert bad.startswith("error: ") and "parameter point has 3 numbers" in bad, err
    assert_stopped_cleanly(cmd, signal.SIGINT, status, rest)
