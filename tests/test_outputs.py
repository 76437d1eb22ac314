"""Where output goes (issue 22): one policy for every command that writes.

Every command that writes (render in every format, one process and sharded;
preview; interactive; slides; gallery; practice; bench) is run against every
kind of bad target: a folder where a file is wanted, a file where a folder is
wanted, a folder that holds a stranger's file, a folder that cannot be written
to (``chattr +i`` as root, which refuses root too; ``chmod`` otherwise), a
parent that is a regular file, a path under ``/proc``.  Each must end with exit
status 2 and exactly one ``error:`` line naming the path, with nothing written
anywhere in the folder tree and nothing deleted (the stranger's file
byte-identical), and without rendering: the stage log
(``JACVIZ_STAGE_LOG``) shows no stage of the work, and no ``media/`` appears.

Then the success paths: a practice set re-made into its own earlier folder
(its manifest), ``--force`` beside a stranger's files, the gallery in a folder
it shares with the clips, a clip with its captions and metadata put in place
together (or, interrupted at the commit, none of them); and the errors that can
still happen while writing (a full disk, a folder or a file appearing
meanwhile, a rename refused halfway): one error line, the previous output
intact, no temporary file.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from jacviz.studio.output import MANIFEST, FileTarget, FolderTarget, OutputError, commit_files

JACVIZ = str(Path(sys.executable).parent / "jacviz")
TINY = ["--resolution", "160,90", "--fps", "5"]
STRANGER = b"a lecturer's own notes \x00\xff\n"  # bytes no command writes
#: the stages of the work itself (rendering, TeX, typesetting, measuring, committing)
WORK_STAGES = {"tex", "tex-batch", "tex-lock", "tex-digits", "frames", "join", "planned", "shards",
               "cluster", "tile", "typeset", "pdflatex", "poster", "convert", "commit", "watching",
               "preview-child"}


# -- helpers ---------------------------------------------------------------------------------
def jacviz(args, cwd, log: Path | None = None, timeout=900):
    env = dict(os.environ)
    env.pop("JACVIZ_HOLD_AT", None)
    if log is not None:
        env["JACVIZ_STAGE_LOG"] = str(log)
    return subprocess.run([JACVIZ, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


def tree(root: Path) -> dict[str, str]:
    """Every entry under root: folders as "dir", links by target, files by content hash."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            if p.is_symlink():
                out[rel] = "link " + os.readlink(p)
            elif p.is_dir():
                out[rel] = "dir"
            else:
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def stages(log: Path) -> list[str]:
    if not log.exists():
        return []
    return [line.split()[0] for line in log.read_text().splitlines() if line.strip()]


@pytest.fixture
def lock():
    """Make a folder that nothing can be created in, and undo it afterwards.  As root
    (as here) ``chattr +i``, which refuses root too; otherwise ``chmod 555``.  The
    lock is checked to hold: a test whose folder stays writable fails, never skips."""
    locked = []
    root = os.geteuid() == 0

    def make(folder: Path) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        if root:
            subprocess.run(["chattr", "+i", str(folder)], check=True, capture_output=True)
        else:
            folder.chmod(0o555)
        locked.append(folder)
        with pytest.raises(OSError):
            (folder / "probe").write_bytes(b"")
        return folder

    yield make
    for folder in locked:
        if root:
            subprocess.run(["chattr", "-i", str(folder)], check=True, capture_output=True)
        else:
            folder.chmod(0o755)


@pytest.fixture
def small_disk(tmp_path):
    """A 16 KiB tmpfs: a real full disk (needs root, as the suite runs here)."""
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16k", "tmpfs", str(mount)], check=True,
                   capture_output=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True, capture_output=True)


# -- every writing command, every bad target ---------------------------------------------------
#: file outputs: (command line up to its output option, the file's suffix)
FILE_COMMANDS = {
    "render-mp4": (["render", "two-way", *TINY, "--jobs", "1", "--quiet", "--out"], ".mp4"),
    "render-sharded": (["render", "two-way", *TINY, "--jobs", "2", "--quiet", "--out"], ".mp4"),
    "render-webm": (["render", "two-way", *TINY, "--format", "webm", "--quiet", "--out"], ".webm"),
    "render-gif": (["render", "two-way", *TINY, "--format", "gif", "--quiet", "--out"], ".gif"),
    "render-mov": (["render", "two-way", *TINY, "--format", "mov", "--quiet", "--out"], ".mov"),
    "render-png": (["render", "two-way", *TINY, "--format", "png", "--quiet", "--out"], ".png"),
    "preview": (["preview", "jacobian-grid", "--out"], ".png"),
    "interactive": (["interactive", "two-way", "--out"], ".html"),
    "bench": (["bench", "--only", "core", "--quick", "--results"], ".json"),
}
CLIP_COMMANDS = ["render-mp4", "render-sharded", "render-webm", "render-gif", "render-mov"]
#: folder outputs: the command line up to --out
FOLDER_COMMANDS = {
    "practice": ["practice", "--count", "1", "--kinds", "shape", *TINY, "--countdown", "0",
                 "--quiet", "--out"],
    "slides": ["slides", "jacobian-grid", *TINY, "--quiet", "--out"],
}


def bad_file_target(kind: str, ext: str, work: Path, lock) -> tuple[str, str]:
    """(the output argument, a fragment of the expected error line)."""
    if kind == "folder":
        (work / f"adir{ext}").mkdir()
        (work / f"adir{ext}" / "inside.txt").write_bytes(STRANGER)
        return f"adir{ext}", f"adir{ext} is a folder; name a file, e.g. adir{ext}/"
    if kind == "captions-folder":  # the clip's captions would replace a folder
        (work / "clip.srt").mkdir()
        return f"clip{ext}", "clip.srt, which goes with it, is a folder"
    if kind == "unwritable":
        lock(work / "locked")
        return f"locked/x{ext}", "the folder locked is not writable"
    if kind == "unwritable-ancestor":
        lock(work / "locked")
        return f"locked/new/x{ext}", "the folder locked is not writable"
    if kind == "parent-file":
        (work / "afile").write_bytes(STRANGER)
        return f"afile/x{ext}", "afile is a file, not a folder"
    if kind == "proc":
        return f"/proc/jacviz-x{ext}", "/proc is a system folder"
    raise AssertionError(kind)


FILE_CASES = [(cmd, kind) for cmd in FILE_COMMANDS
              for kind in ("folder", "unwritable", "parent-file", "proc")]
FILE_CASES += [(cmd, "captions-folder") for cmd in CLIP_COMMANDS]
FILE_CASES += [("render-mp4", "unwritable-ancestor"), ("interactive", "unwritable-ancestor")]


def bad_folder_target(kind: str, work: Path, lock) -> tuple[str, str]:
    if kind == "file":
        (work / "notes.txt").write_bytes(STRANGER)
        return "notes.txt", "notes.txt is a file, not a folder; name a folder"
    if kind == "stranger":
        (work / "set").mkdir()
        (work / "set" / "keep.txt").write_bytes(STRANGER)
        return "set", "set holds files jacviz did not make (first: set/keep.txt)"
    if kind == "here":  # the current folder, which holds the stranger's file
        return ".", "--out . holds files jacviz did not make (first: keep.txt)"
    if kind == "unwritable-parent":
        lock(work / "locked")
        return "locked/set", "the folder locked is not writable"
    if kind == "unwritable-target":  # empty, so only the lock is wrong
        lock(work / "locked")
        return "locked", "the folder locked is not writable"
    if kind == "parent-file":
        (work / "afile").write_bytes(STRANGER)
        return "afile/set", "afile is a file, not a folder"
    if kind == "proc":
        return "/proc/jacviz-set", "/proc is a system folder"
    raise AssertionError(kind)


FOLDER_KINDS = ["file", "stranger", "here", "unwritable-parent", "unwritable-target",
                "parent-file", "proc"]


def assert_refused(res, work: Path, before: dict, log: Path, fragments):
    """Exit 2, one error line with every fragment, nothing written or deleted, no work done."""
    lines = res.stderr.splitlines()
    assert res.returncode == 2, (res.returncode, res.stderr[-3000:])
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr[-3000:]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    assert res.stdout == ""
    assert tree(work) == before, "the command wrote or deleted something"
    assert (work / "keep.txt").read_bytes() == STRANGER
    done = set(stages(log))
    assert not done & WORK_STAGES and not any(s.startswith("bench-") for s in done), done


@pytest.fixture
def work(tmp_path):
    """The current folder of a command: it holds a stranger's file."""
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "keep.txt").write_bytes(STRANGER)
    return folder


@pytest.mark.parametrize("command,kind", FILE_CASES, ids=[f"{c}-{k}" for c, k in FILE_CASES])
def test_file_output_bad_target_is_one_line_and_writes_nothing(command, kind, work, tmp_path,
                                                               lock):
    args, ext = FILE_COMMANDS[command]
    out, fragment = bad_file_target(kind, ext, work, lock)
    option = "--results" if command == "bench" else "--out"
    before = tree(work)
    log = tmp_path / "stages.log"
    res = jacviz([*args, out], work, log)
    assert_refused(res, work, before, log, [f"{option} {out}", fragment])


@pytest.mark.parametrize("command", list(FOLDER_COMMANDS))
@pytest.mark.parametrize("kind", FOLDER_KINDS)
def test_folder_output_bad_target_is_one_line_and_writes_nothing(command, kind, work, tmp_path,
                                                                 lock):
    out, fragment = bad_folder_target(kind, work, lock)
    before = tree(work)
    log = tmp_path / "stages.log"
    res = jacviz([*FOLDER_COMMANDS[command], out], work, log)
    assert_refused(res, work, before, log, [f"--out {out}", fragment])
    if kind in ("stranger", "here"):
        assert "--force" in res.stderr


@pytest.mark.parametrize("command", ["render", "preview", "interactive", "practice", "slides"])
def test_default_output_under_a_file_named_renders(command, work, tmp_path):
    """No --out: the default place, renders/, is a regular file (someone's)."""
    (work / "renders").write_bytes(STRANGER)
    args = {"render": ["render", "two-way", *TINY, "--quiet"],
            "preview": ["preview", "jacobian-grid"],
            "interactive": ["interactive", "two-way"],
            "practice": FOLDER_COMMANDS["practice"][:-1],
            "slides": FOLDER_COMMANDS["slides"][:-1]}[command]
    before = tree(work)
    log = tmp_path / "stages.log"
    res = jacviz(args, work, log)
    assert_refused(res, work, before, log, ["renders is a file, not a folder"])


def fake_clip(renders: Path, stem: str = "jacobian-grid") -> Path:
    """A short synthetic movie with the metadata and captions `jacviz render` writes."""
    import av
    import numpy as np

    renders.mkdir(parents=True, exist_ok=True)
    clip = renders / f"{stem}.mp4"
    with av.open(str(clip), "w") as out:
        stream = out.add_stream("libx264", rate=5)
        stream.width, stream.height, stream.pix_fmt = 64, 36, "yuv420p"
        for k in range(5):
            img = np.full((36, 64, 3), 40 * k, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)
    (renders / f"{stem}.json").write_text(json.dumps({
        "scene": "jacobian-grid", "params": {"f": "(x, y) -> (x^2 - y, x*y)", "point": [1.0, 2.0]},
        "changed": [], "quality": "l", "format": "mp4", "command": "jacviz render jacobian-grid"}))
    (renders / f"{stem}.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nthe grid\n")
    return clip


GALLERY_KINDS = ["file", "stranger-index", "index-folder", "posters-file", "unwritable",
                 "parent-file", "proc"]


@pytest.mark.parametrize("kind", GALLERY_KINDS)
def test_gallery_bad_target_is_one_line_and_writes_nothing(kind, work, tmp_path, lock):
    renders = work / "renders"
    fake_clip(renders)
    arg, fragment = "renders", None
    if kind == "file":
        arg, fragment = "keep.txt", "--renders keep.txt is a file"
    elif kind == "stranger-index":
        (renders / "index.html").write_bytes(STRANGER)
        fragment = "renders/index.html, which jacviz did not write"
    elif kind == "index-folder":
        (renders / "index.html").mkdir()
        fragment = "renders/index.html is a folder where the output writes a file"
    elif kind == "posters-file":
        (renders / "posters").write_bytes(STRANGER)
        fragment = "renders/posters is a file where the output needs a folder"
    elif kind == "unwritable":
        lock(renders)
        fragment = "the folder renders is not writable"
    elif kind == "parent-file":
        (work / "afile").write_bytes(STRANGER)
        arg, fragment = "afile/renders", "afile is a file, not a folder"
    elif kind == "proc":
        arg, fragment = "/proc/jacviz-renders", "/proc is a system folder"
    before = tree(work)
    log = tmp_path / "stages.log"
    res = jacviz(["gallery", "--renders", arg], work, log)
    assert_refused(res, work, before, log, [f"--renders {arg}", fragment])
    if kind == "stranger-index":
        assert "--force" in res.stderr


# -- folders: the manifest, --force ------------------------------------------------------------
def practice(out: str, kinds: str, cwd: Path, *extra):
    return jacviz(["practice", "--count", "1", "--kinds", kinds, *TINY, "--countdown", "0",
                   "--quiet", "--out", out, *extra], cwd)


def manifest(folder: Path, name: str = MANIFEST) -> list[str]:
    return json.loads((folder / name).read_text())["files"]


def files_in(folder: Path, skip=(MANIFEST,)) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and p.name not in skip)


def no_temporaries(root: Path):
    left = [p for p in root.rglob(".*") if ".tmp-" in p.name or ".old-" in p.name
            or p.name.startswith(".jacviz-probe")]
    assert not left, left


def test_practice_replaces_its_own_earlier_set(tmp_path):
    res = practice("set", "shape", tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    set_ = tmp_path / "set"
    first = files_in(set_)
    assert "clips/01-shape-0.mp4" in first and "index.html" in first
    assert manifest(set_) == first  # the manifest lists exactly what the set holds
    res = practice("set", "curve-dzdt", tmp_path)  # into its own earlier output: no --force
    assert res.returncode == 0, res.stderr[-3000:]
    second = files_in(set_)
    assert "clips/01-curve-dzdt-0.mp4" in second
    assert not [f for f in second if "shape" in f], "a file of the earlier set was left"
    assert manifest(set_) == second
    assert json.loads((set_ / "practice.json").read_text())[0]["kind"] == "curve-dzdt"
    no_temporaries(tmp_path)


def test_force_keeps_a_strangers_files_and_replaces_one_of_the_same_name(tmp_path):
    set_ = tmp_path / "set"
    (set_ / "sub").mkdir(parents=True)
    (set_ / "keep.txt").write_bytes(STRANGER)
    (set_ / "sub" / "notes.md").write_bytes(STRANGER)
    (set_ / "index.html").write_bytes(STRANGER)  # the name of the deck
    res = practice("set", "shape", tmp_path)
    assert res.returncode == 2 and "first: set/index.html" in res.stderr, res.stderr
    assert (set_ / "index.html").read_bytes() == STRANGER
    res = practice("set", "shape", tmp_path, "--force")
    assert res.returncode == 0, res.stderr[-3000:]
    assert (set_ / "keep.txt").read_bytes() == STRANGER
    assert (set_ / "sub" / "notes.md").read_bytes() == STRANGER
    assert "Reveal" in (set_ / "index.html").read_text()  # the same name: replaced by the deck
    listed = manifest(set_)
    assert "index.html" in listed and "clips/01-shape-0.mp4" in listed
    assert "keep.txt" not in listed and "sub/notes.md" not in listed
    assert sorted(listed + ["keep.txt", "sub/notes.md"]) == files_in(set_)
    no_temporaries(tmp_path)
    # without --force the stranger's files still count: refused, nothing changed
    before = tree(tmp_path)
    res = practice("set", "curve-dzdt", tmp_path)
    assert res.returncode == 2 and "first: set/keep.txt" in res.stderr, res.stderr
    assert tree(tmp_path) == before


def test_gallery_replaces_only_what_it_wrote(tmp_path):
    renders = tmp_path / "renders"
    fake_clip(renders, "jacobian-grid")
    fake_clip(renders, "jacobian-grid-b")
    (renders / "notes.txt").write_bytes(STRANGER)
    (renders / "index.html").write_bytes(STRANGER)  # a page of the lecturer's own
    res = jacviz(["gallery"], tmp_path)
    assert res.returncode == 2 and "--force" in res.stderr, res.stderr
    assert (renders / "index.html").read_bytes() == STRANGER
    res = jacviz(["gallery", "--force"], tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    assert "jacviz gallery" in (renders / "index.html").read_text()
    listed = manifest(renders, ".jacviz-gallery.json")
    assert sorted(listed) == ["index.html", "jacobian-grid-b.html", "jacobian-grid-b.vtt",
                              "jacobian-grid.html", "jacobian-grid.vtt",
                              "posters/jacobian-grid-b.png", "posters/jacobian-grid.png"]
    for name in ("jacobian-grid-b.mp4", "jacobian-grid-b.json", "jacobian-grid-b.srt"):
        (renders / name).unlink()  # a clip removed: its poster, captions and page go too
    res = jacviz(["gallery"], tmp_path)  # its own page now: no --force needed
    assert res.returncode == 0, res.stderr[-3000:]
    assert sorted(manifest(renders, ".jacviz-gallery.json")) == [
        "index.html", "jacobian-grid.html", "jacobian-grid.vtt",
        "posters/jacobian-grid.png"]
    assert not (renders / "posters" / "jacobian-grid-b.png").exists()
    assert not (renders / "jacobian-grid-b.vtt").exists()
    assert (renders / "notes.txt").read_bytes() == STRANGER
    assert "jacobian-grid-b" not in (renders / "index.html").read_text()
    no_temporaries(tmp_path)


# -- a clip, its captions and its metadata: together or not at all ------------------------------
def test_a_clip_its_captions_and_metadata_appear_together(tmp_path):
    from test_interrupts import Command, assert_stopped_cleanly

    out = tmp_path / "out"
    out.mkdir()
    previous = {out / "clip.mp4": b"previous clip", out / "clip.srt": b"previous captions",
                out / "clip.json": b'{"previous": true}'}
    for path, data in previous.items():
        path.write_bytes(data)
    args = ["render", "jacobian-grid", *TINY, "--jobs", "1", "--quiet", "--out", str(out / "clip.mp4")]
    cmd = Command(args, tmp_path, hold="commit")
    words = cmd.wait_for("commit")
    # every new file is complete beside the old one, under a temporary name; none in place yet
    temporaries = sorted(p.name for p in out.iterdir() if ".tmp-" in p.name)
    assert [t.split(".tmp-")[0] for t in temporaries] == [".clip.json", ".clip.mp4", ".clip.srt"]
    assert Path(words[2]).name.startswith(".clip.mp4.tmp-")
    assert all(path.read_bytes() == data for path, data in previous.items())
    status, _, err = cmd.interrupt(signal.SIGTERM)
    assert_stopped_cleanly(cmd, signal.SIGTERM, status, err)
    assert all(path.read_bytes() == data for path, data in previous.items())
    assert sorted(p.name for p in out.iterdir()) == ["clip.json", "clip.mp4", "clip.srt"]
    # the same render to its end: all three replaced
    res = jacviz(args, tmp_path)
    assert res.returncode == 0, res.stderr[-3000:]
    assert json.loads((out / "clip.json").read_text())["scene"] == "jacobian-grid"
    assert " --> " in (out / "clip.srt").read_text()
    assert (out / "clip.mp4").read_bytes()[4:8] == b"ftyp"
    assert sorted(p.name for p in out.iterdir()) == ["clip.json", "clip.mp4", "clip.srt"]


# -- errors while writing ---------------------------------------------------------------------------
def test_a_full_disk_is_one_line_and_keeps_the_previous_page(small_disk, tmp_path):
    (small_disk / "page.html").write_bytes(b"previous page")
    res = jacviz(["interactive", "two-way", "--out", str(small_disk / "page.html")], tmp_path)
    lines = res.stderr.splitlines()
    assert res.returncode == 2 and len(lines) == 1, res.stderr[-3000:]
    assert lines[0].startswith("error: --out ") and "no space left on device" in lines[0], lines
    assert (small_disk / "page.html").read_bytes() == b"previous page"
    assert sorted(p.name for p in small_disk.iterdir()) == ["page.html"]


def test_a_full_disk_while_a_practice_set_is_made(small_disk, tmp_path):
    """The worksheet does not fit: one line, no staging folder left, nothing in place."""
    res = practice(str(small_disk / "set"), "shape", tmp_path)
    lines = res.stderr.splitlines()
    assert res.returncode == 2 and len(lines) == 1, res.stderr[-3000:]
    assert "no space left on device" in lines[0] and "set/worksheet.pdf" in lines[0], lines
    assert ".tmp-" not in lines[0]  # the path as it would have been, not the staging one
    assert list(small_disk.iterdir()) == []


def test_a_folder_appearing_where_a_file_goes_puts_back_what_was_replaced(tmp_path):
    """commit_files: the captions and metadata are replaced first; the clip's rename fails
    (a folder appeared there): both are put back, no temporary file is left."""
    clip, srt, meta = tmp_path / "c.mp4", tmp_path / "c.srt", tmp_path / "c.json"
    srt.write_text("old captions")
    meta.write_text("old metadata")
    target = FileTarget(clip, exts=(".mp4",), companions=(".srt", ".json"))
    target.check()
    clip.mkdir()  # meanwhile
    with pytest.raises(OutputError, match=r"--out .*c\.mp4 could not be written: .*c\.mp4"):
        target.commit({srt: "new captions", meta: "new metadata", clip: b"new clip"})
    assert srt.read_text() == "old captions" and meta.read_text() == "old metadata"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.json", "c.mp4", "c.srt"]
    assert list(clip.iterdir()) == []


def test_commit_files_makes_no_folder_when_it_fails(tmp_path):
    (tmp_path / "afile").write_text("x")
    with pytest.raises(OutputError):
        commit_files({tmp_path / "new" / "deeper" / "a.txt": "a", tmp_path / "afile" / "b": "b"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile"]


def previous_set(folder: Path) -> dict[str, bytes]:
    """An earlier output of a folder target: its files and its manifest."""
    files = {"a.txt": b"old a", "b/c.txt": b"old c", "b/d.txt": b"old d"}
    target = FolderTarget(folder)
    target.check()
    with target.staging() as tmp:
        for rel, data in files.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            (tmp / rel).write_bytes(data)
        target.commit(tmp)
    return files


def assert_folder(folder: Path, files: dict[str, bytes]):
    assert files_in(folder, skip=()) == sorted([*files, MANIFEST])
    for rel, data in files.items():
        assert (folder / rel).read_bytes() == data, rel


def test_folder_commit_refuses_a_file_that_appeared_meanwhile(tmp_path):
    folder = tmp_path / "deck"
    old = previous_set(folder)
    target = FolderTarget(folder)
    target.check()  # only jacviz's files: fine
    with pytest.raises(OutputError, match="first: .*deck/b/new.txt.*--force"):
        with target.staging() as tmp:
            (tmp / "a.txt").write_bytes(b"new a")
            (folder / "b" / "new.txt").write_bytes(STRANGER)  # meanwhile
            target.commit(tmp)
    assert_folder(folder, {**old, "b/new.txt": STRANGER})
    no_temporaries(tmp_path)


def test_folder_commit_never_replaces_a_folder_with_content(tmp_path):
    """Even with force: a folder appeared where the output writes a file."""
    folder = tmp_path / "deck"
    old = previous_set(folder)
    target = FolderTarget(folder, force=True)
    target.check()
    with pytest.raises(OutputError, match="deck/e.txt is a folder where the output writes a file"):
        with target.staging() as tmp:
            (tmp / "a.txt").write_bytes(b"new a")
            (tmp / "e.txt").write_bytes(b"new e")
            (folder / "e.txt").mkdir()  # meanwhile, with a stranger's file in it
            (folder / "e.txt" / "x").write_bytes(STRANGER)
            target.commit(tmp)
    assert_folder(folder, {**old, "e.txt/x": STRANGER})
    no_temporaries(tmp_path)


def test_folder_commit_refused_halfway_puts_everything_back(tmp_path, lock):
    """The previous files are moved aside in order; the folder b/ is locked meanwhile, so
    moving b/c.txt fails after a.txt and the manifest were moved: both are put back."""
    folder = tmp_path / "deck"
    old = previous_set(folder)
    target = FolderTarget(folder)
    target.check()
    with pytest.raises(OutputError, match=r"--out .*deck could not be written: operation not "
                                          r"permitted .*deck/b/c.txt.*nothing was changed"):
        with target.staging() as tmp:
            (tmp / "a.txt").write_bytes(b"new a")
            (tmp / "b").mkdir()
            (tmp / "b" / "c.txt").write_bytes(b"new c")
            lock(folder / "b")
            target.commit(tmp)
    assert_folder(folder, old)
    assert (folder / MANIFEST).exists() and sorted(manifest(folder)) == sorted(old)
    no_temporaries(tmp_path)


def test_manifest_entries_never_leave_the_folder(tmp_path):
    """A manifest that names ../ or an absolute path is not trusted: those files are not
    jacviz's, and the folder still holds foreign files."""
    outside = tmp_path / "outside.txt"
    outside.write_bytes(STRANGER)
    folder = tmp_path / "deck"
    folder.mkdir()
    (folder / "x.txt").write_bytes(STRANGER)
    (folder / MANIFEST).write_text(json.dumps({"files": ["../outside.txt", str(outside), "x.txt/"]}))
    with pytest.raises(OutputError, match="first: .*deck/x.txt"):
        FolderTarget(folder).check()
    target = FolderTarget(folder, force=True)
    target.check()
    with target.staging() as tmp:
        (tmp / "a.txt").write_bytes(b"new a")
        target.commit(tmp)
    assert outside.read_bytes() == STRANGER and (folder / "x.txt").read_bytes() == STRANGER
    assert manifest(folder) == ["a.txt"]
