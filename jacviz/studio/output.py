"""Where output goes: one policy for every command that writes.

Two kinds of target:

- a **file** (:class:`FileTarget`): a clip (with its captions and metadata beside
  it), a still, a storyboard, a canvas page, the benchmark results.  The path
  names the file: a file already there is replaced, a folder there is refused.
- a **folder** (:class:`FolderTarget`): a practice set, a slide deck, the
  gallery's page and posters in ``renders/``.  jacviz lists every file it wrote
  in a manifest inside the folder (``.jacviz-manifest.json``; the gallery's is
  ``.jacviz-gallery.json``, because ``renders/`` also holds the clips).  A later
  run replaces exactly what the manifest lists.  A folder that holds anything
  else is refused, naming the first such file, unless ``force``: then foreign
  files are kept, and a foreign file with the name of one of the output's files
  is replaced.  An empty folder is fine.  The gallery (``shared``) shares its
  folder with the clips: only foreign files at the names it writes count.

Every target is checked before any work starts (:meth:`FileTarget.check`,
:meth:`FolderTarget.check`): a file where a file is expected, a folder where a
folder is expected; every existing ancestor a folder; not on a system file
system (``/proc``, ``/sys``, ...); and writable, tested by creating and removing
a probe file in the folder that will be written to (``os.access`` is not
enough: root ignores permission bits, while ``chattr +i`` and read-only mounts
refuse root too).  A problem is an :class:`OutputError`: one line, naming the
path and the fix.

Then the output is made under temporary names beside its files
(:func:`commit_files`) or in a staging folder (:meth:`FolderTarget.staging`),
and put in place with SIGINT and SIGTERM held back: all of it, or none of it.
An ``OSError`` on the way (a full disk, a folder that appeared where a file
goes) puts back what was already moved, removes every temporary file, and is
one error line.

Standard library only: ``jacviz preview`` reads its cache before numpy is imported.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..core.errors import JacvizError
from ..core.signals import deferred, stage

MANIFEST = ".jacviz-manifest.json"

#: file systems that hold no files of ours, writable or not
SYSTEM_FS = frozenset({"proc", "sysfs", "cgroup", "cgroup2", "devpts", "securityfs", "debugfs",
                       "tracefs", "configfs", "pstore", "bpf", "efivarfs", "mqueue", "fusectl",
                       "binfmt_misc", "hugetlbfs", "autofs", "nsfs"})


class OutputError(JacvizError):
    """An output that cannot be written where it was asked for, or a write that failed."""


# -- paths as the user reads them ------------------------------------------------------------
def shown(path) -> str:
    """A path for a message: relative to the current folder when inside it."""
    p = Path(path)
    if not p.is_absolute():
        return str(p)
    try:
        rel = p.relative_to(Path.cwd())
    except (ValueError, OSError):
        return str(p)
    return str(rel) if str(rel) != "." else "."


def _absolute(path) -> Path:
    return Path(os.path.abspath(path))


def _nearest_existing(p: Path) -> Path:
    while not os.path.lexists(p) and p != p.parent:
        p = p.parent
    return p


def _fs_type(path: Path) -> str | None:
    """The type of the file system that holds ``path`` (from /proc/self/mounts)."""
    try:
        with open("/proc/self/mounts", encoding="utf-8", errors="replace") as fh:
            lines = fh.read().splitlines()
    except OSError:
        return None
    where, best, kind = str(path), "", None
    for line in lines:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount = parts[1].replace("\\040", " ").replace("\\011", "\t").replace("\\134", "\\")
        inside = where == mount or where.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) >= len(best):
            best, kind = mount, parts[2]
    return kind


def _probe(folder: Path) -> OSError | None:
    """Create and remove a file in ``folder``; the error, or None when it is writable."""
    with deferred():  # an interrupt never leaves the probe behind
        try:
            fd, name = tempfile.mkstemp(prefix=".jacviz-probe-", dir=folder)
        except OSError as exc:
            return exc
        os.close(fd)
        try:
            os.unlink(name)
        except OSError as exc:  # an append-only folder: files go in, never out
            return exc
    return None


def _refuse_place(label: str, folder: Path) -> None:
    """One line when ``folder`` (an existing ancestor of the output) cannot take it."""
    if not os.path.isdir(folder):
        what = "is a file, not a folder" if os.path.isfile(folder) else "is not a folder"
        raise OutputError(f"{label} cannot be written: {shown(folder)} {what}; "
                          f"choose a path in a folder")
    fs = _fs_type(folder)
    if fs in SYSTEM_FS:
        raise OutputError(f"{label} cannot be written: {shown(folder)} is a system folder ({fs}) "
                          f"that holds no files; choose a folder you can write to")
    exc = _probe(folder)
    if exc is None:
        return
    if exc.errno == errno.EROFS:
        why = f"{shown(folder)} is on a read-only file system"
    elif exc.errno in (errno.EACCES, errno.EPERM):
        why = f"the folder {shown(folder)} is not writable ({exc.strerror.lower()})"
    else:
        why = f"no file can be made in {shown(folder)} ({exc.strerror.lower()})"
    raise OutputError(f"{label} cannot be written: {why}; choose a folder you can write to")


def write_error(label: str, exc: OSError, staging: Path | None = None, final: Path | None = None,
                ) -> OutputError:
    """An OSError while writing an output, as one line (a staging path shown as its final one)."""
    name = exc.filename
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG) and exc.filename2 is not None:
        name = exc.filename2  # a copy that did not fit: the file it was writing
    if name is not None and staging is not None and final is not None:
        with contextlib.suppress(ValueError):
            name = final / Path(name).relative_to(staging)
    what = (exc.strerror or str(exc)).lower()
    where = f" ({shown(name)})" if name is not None else ""
    return OutputError(f"{label} could not be written: {what}{where}; nothing was changed")


# -- files ------------------------------------------------------------------------------------
@dataclass
class FileTarget:
    """An output that is one file (plus ``companions``: the suffixes of files written
    beside it under the same stem, e.g. a clip's ``.srt`` and ``.json``).

    ``option`` is how the user named it (``--out``), empty when jacviz chose the
    path; ``exts`` the suffixes allowed (``why`` says why, for the message);
    ``example`` a file name to suggest when the path is a folder."""

    path: Path
    option: str = "--out"
    exts: tuple[str, ...] = ()
    why: str = ""
    example: str = ""
    companions: tuple[str, ...] = ()

    def __post_init__(self):
        self.path = Path(self.path)

    @property
    def label(self) -> str:
        return f"{self.option} {self.path}" if self.option else shown(self.path)

    def paths(self) -> list[Path]:
        """Every file of this output: the companions, then the file itself."""
        return [self.path.with_suffix(s) for s in self.companions] + [self.path]

    def check_name(self) -> None:
        """The suffix only (no file system access)."""
        if self.exts and self.path.suffix.lower() not in self.exts:
            why = f" ({self.why})" if self.why else ""
            raise OutputError(f"{self.option or 'the output'} {str(self.path)!r} must end in "
                              f"{' or '.join(self.exts)}{why}")

    def check(self) -> Path:
        """Everything, before any work: see the module docstring.  Returns the path."""
        self.check_name()
        for path in self.paths():
            full = _absolute(path)
            if os.path.isdir(full):
                if path == self.path:
                    example = self.example or "output" + (self.exts[0] if self.exts else "")
                    raise OutputError(f"{self.label} is a folder; name a file, e.g. "
                                      f"{os.path.join(str(path), example)}")
                raise OutputError(f"{self.label} cannot be written: {shown(path)}, which goes "
                                  f"with it, is a folder; move it away or name another file")
            if os.path.lexists(full) and not os.path.isfile(full):
                raise OutputError(f"{self.label} cannot be written: {shown(path)} is "
                                  + ("a broken link" if os.path.islink(full) else
                                     "not a regular file") + "; name another file")
        _refuse_place(self.label, _nearest_existing(_absolute(self.path).parent))
        return self.path

    def commit(self, outputs: dict) -> list[Path]:
        """:func:`commit_files` with this target's label in its messages."""
        return commit_files(outputs, self.label)


def _set_aside(dst: Path) -> Path:
    """Keep the file at ``dst`` under a temporary name until the commit has succeeded:
    a hard link (``dst`` never goes missing), else a rename."""
    backup = dst.with_name(f".{dst.name}.old-{os.getpid()}")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(backup)
    try:
        os.link(dst, backup, follow_symlinks=False)
    except OSError:
        os.rename(dst, backup)
    return backup


def commit_files(outputs: dict, label: str | None = None) -> list[Path]:
    """Put files in place all together, or not at all.

    ``outputs`` maps each destination to a source file (Path), bytes or text.
    Everything is first written beside its destination under a temporary name;
    then, with SIGINT and SIGTERM held back, every temporary file is renamed into
    place (the previous files kept aside until all are in).  An interrupt or an
    OSError before the end leaves the previous files byte-identical and no
    temporary file behind; the OSError becomes one :class:`OutputError` line.
    Returns the destinations, in order.
    """
    pid = os.getpid()
    tmps: list[tuple[Path, Path]] = []
    made: list[Path] = []  # folders created for the output, removed again on failure
    current = None
    try:
        for dst, src in outputs.items():
            dst = current = Path(dst)
            _makedirs(dst.parent, made)
            tmp = dst.with_name(f".{dst.name}.tmp-{pid}")
            tmps.append((tmp, dst))
            if isinstance(src, Path):
                shutil.copyfile(src, tmp)
            elif isinstance(src, bytes):
                tmp.write_bytes(src)
            else:
                tmp.write_text(src)
        stage("commit", str(tmps[-1][0]) if tmps else "")
        with deferred():
            placed: list[tuple[Path, Path | None]] = []
            try:
                for tmp, dst in tmps:
                    current = dst
                    if os.path.isdir(dst):
                        raise IsADirectoryError(errno.EISDIR, "a folder is in the way", str(dst))
                    backup = _set_aside(dst) if os.path.lexists(dst) else None
                    try:
                        os.replace(tmp, dst)
                    except OSError:
                        if backup is not None and not os.path.lexists(dst):
                            os.rename(backup, dst)
                        elif backup is not None:
                            os.unlink(backup)
                        raise
                    placed.append((dst, backup))
            except OSError:
                for dst, backup in reversed(placed):  # put the previous files back
                    with contextlib.suppress(OSError):
                        if backup is not None:
                            os.replace(backup, dst)
                        else:
                            os.unlink(dst)
                raise
            for _, backup in placed:
                if backup is not None:
                    with contextlib.suppress(OSError):
                        os.unlink(backup)
        made.clear()
    except OSError as exc:
        raise write_error(label or shown(current or "the output"), exc) from None
    finally:
        for tmp, _ in tmps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
    return [dst for _, dst in tmps]


def _makedirs(folder: Path, made: list[Path]) -> None:
    """``mkdir -p``, noting each folder it creates (so that a failure can remove them)."""
    missing = []
    p = Path(folder)
    while not os.path.lexists(p) and p != p.parent:
        missing.append(p)
        p = p.parent
    for p in reversed(missing):
        os.mkdir(p)
        made.append(p)


# -- folders ----------------------------------------------------------------------------------
def _safe_rel(rel: str) -> bool:
    """A manifest entry that stays inside its folder."""
    if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel:
        return False
    parts = rel.rstrip("/").split("/")
    return all(p not in ("", ".", "..") for p in parts)


def _entries(folder: Path, prefix: str = "", skip=frozenset()):
    """Every entry under ``folder``, sorted, as relative POSIX paths: files (and links,
    and whatever is not a folder) as ``a/b``, empty folders as ``a/``.  Top-level names
    in ``skip`` are left out."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        raise OutputError(f"cannot read the folder {shown(folder)} ({exc.strerror.lower()})") \
            from None
    for e in entries:
        if not prefix and e.name in skip:
            continue
        rel = prefix + e.name
        if e.is_dir(follow_symlinks=False):
            empty = True
            for sub in _entries(Path(e.path), rel + "/"):
                empty = False
                yield sub
            if empty:
                yield rel + "/"
        else:
            yield rel


def _own(root: Path, rel: str) -> bool:
    """True when ``root/rel`` is reached through real folders only (no link on the way),
    so that removing it removes what the manifest means."""
    parts = rel.rstrip("/").split("/")
    p = root
    for part in parts[:-1]:
        p = p / part
        if os.path.islink(p) or not os.path.isdir(p):
            return False
    p = p / parts[-1]
    if rel.endswith("/"):
        return os.path.isdir(p) and not os.path.islink(p)
    return os.path.lexists(p) and not (os.path.isdir(p) and not os.path.islink(p))


@dataclass
class FolderTarget:
    """An output that is a folder of files (see the module docstring).

    ``option`` is how the user named it (``--out``), empty when jacviz chose it;
    ``example`` a folder to suggest when the path is a file; ``force`` writes beside
    foreign files; ``shared`` means the folder also holds files of other commands
    (only foreign files at the output's own names count); ``manifest`` the name of
    the list of what this output wrote."""

    path: Path
    option: str = "--out"
    force: bool = False
    example: str = ""
    shared: bool = False
    manifest: str = MANIFEST

    def __post_init__(self):
        self.path = Path(self.path)
        self.full = _absolute(self.path)
        self.name = self.full.name or "root"

    @property
    def label(self) -> str:
        return f"{self.option} {self.path}" if self.option else shown(self.path)

    def check(self, names=(), adopt=()) -> Path:
        """Everything, before any work.  ``names``: the relative paths the output will
        write, when known (a shared folder checks only those); ``adopt``: names that
        may be replaced although the manifest does not list them (files that belong
        to a clip, such as the gallery's captions beside it).  Returns the path."""
        full = self.full
        if os.path.lexists(full) and not os.path.isdir(full):
            if os.path.islink(full):
                raise OutputError(f"{self.label} is a broken link; remove it or name another folder")
            alt = shown(self.example) if self.example and _absolute(self.example) != full \
                else f"{self.path}-out"
            raise OutputError(f"{self.label} is a file, not a folder; name a folder, e.g. {alt}")
        if os.path.isdir(full):
            _refuse_place(self.label, full)
            self._refuse_clash(names, adopt)
            if not self.force:
                first = self.first_foreign(names, adopt)
                if first is not None:
                    raise self._foreign_error(first)
        else:
            _refuse_place(self.label, _nearest_existing(full.parent))
        return self.path

    def _foreign_error(self, rel: str) -> OutputError:
        if self.shared:
            return OutputError(
                f"{self.label} holds {shown(self.path / rel)}, which jacviz did not write; "
                f"move it away, or give --force to replace it")
        return OutputError(
            f"{self.label} holds files jacviz did not make (first: {shown(self.path / rel)}); "
            f"name a new or empty folder, move them away, or give --force to write beside "
            f"them (they are kept; one with the name of an output file is replaced)")

    def previous(self) -> set[str]:
        """The entries the manifest says jacviz wrote (empty when there is none)."""
        path = self.full / self.manifest
        if os.path.islink(path) or not path.is_file():
            return set()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        files = data.get("files") if isinstance(data, dict) else None
        if not isinstance(files, list):
            return set()
        return {f for f in files if isinstance(f, str) and _safe_rel(f)}

    def _ours(self) -> set[str]:
        """Top-level names this process uses inside the folder while it works."""
        pid = os.getpid()
        return {n for n in os.listdir(self.full)
                if n.startswith((f".{self.name}.tmp-{pid}-", f".{self.name}.old-{pid}-"))} \
            if os.path.isdir(self.full) else set()

    def first_foreign(self, names=(), adopt=()) -> str | None:
        """The first entry (relative path) jacviz did not make, or None."""
        old = self.previous()
        if self.shared:
            for rel in names:
                if rel not in old and rel not in adopt and os.path.lexists(self.full / rel):
                    return rel
            return None
        skip = {self.manifest} | self._ours()
        return next((rel for rel in _entries(self.full, skip=skip) if rel not in old), None)

    def _refuse_clash(self, names, adopt=()) -> None:
        """A file at a name where the output needs a folder, or a folder (with content or
        not ours) where it writes a file: refused, even with --force."""
        old = self.previous()
        for rel in names:
            parts = rel.rstrip("/").split("/")
            p = self.full
            for k, part in enumerate(parts):
                p = p / part
                last = k == len(parts) - 1
                if not os.path.lexists(p):
                    break
                sub = "/".join(parts[:k + 1])
                if not last and not os.path.isdir(p) and sub not in old:
                    raise OutputError(f"{self.label} cannot be written: {shown(self.path / sub)} "
                                      f"is a file where the output needs a folder; move it away")
                if last and not rel.endswith("/") and os.path.isdir(p) and \
                        not os.path.islink(p) and sub + "/" not in old:
                    raise OutputError(f"{self.label} cannot be written: {shown(self.path / sub)} "
                                      f"is a folder where the output writes a file; move it away")

    @contextlib.contextmanager
    def staging(self):
        """A fresh, empty folder to make the output in: inside the target when it exists
        (the renames then stay on its file system and need no other folder writable),
        else beside it (in its nearest existing ancestor).  Always removed at the end;
        an OSError while the output is made there is one :class:`OutputError` line."""
        where = self.full if os.path.isdir(self.full) else _nearest_existing(self.full.parent)
        tmp = None
        try:
            with deferred():  # made and noted at once: an interrupt never leaves it behind
                tmp = Path(tempfile.mkdtemp(prefix=f".{self.name}.tmp-{os.getpid()}-", dir=where))
            yield tmp
        except OSError as exc:
            raise write_error(self.label, exc, tmp, self.path) from None
        finally:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)

    def commit(self, staging: Path, adopt=()) -> list[str]:
        """Put what ``staging`` holds in place (see the module docstring); returns the
        relative paths written.  ``adopt``: as for :meth:`check`."""
        staging = Path(staging)
        new = sorted(_entries(staging, skip={self.manifest}))
        text = json.dumps({"written_by": "jacviz", "files": new}, indent=1) + "\n"
        try:
            (staging / self.manifest).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise write_error(self.label, exc, staging, self.path) from None
        stage("commit", str(staging))
        if not os.path.lexists(self.full):
            self._commit_new(staging)
        else:
            if not os.path.isdir(self.full):
                raise OutputError(f"{self.label} is no longer a folder (something replaced it "
                                  f"while the output was made); nothing was changed")
            self._commit_merge(staging, new + [self.manifest], adopt)
        return new

    def _commit_new(self, staging: Path) -> None:
        made: list[Path] = []
        try:
            _makedirs(self.full.parent, made)
            with deferred():
                os.rename(staging, self.full)
            made.clear()
        except OSError as exc:
            raise write_error(self.label, exc, staging, self.path) from None
        finally:
            for folder in reversed(made):
                with contextlib.suppress(OSError):
                    folder.rmdir()

    def _commit_merge(self, staging: Path, new: list[str], adopt) -> None:
        full = self.full
        names = [r for r in new if r != self.manifest]
        self._refuse_clash(names, adopt)  # again: files may have appeared meanwhile
        if not self.force:
            first = self.first_foreign(names, adopt)
            if first is not None:
                raise self._foreign_error(first)
        old = self.previous() | {self.manifest}
        aside = sorted({r for r in old if _own(full, r)}
                       | {r for r in new if not r.endswith("/") and os.path.lexists(full / r)
                          and _own(full, r)})
        moved: list[tuple[Path, Path]] = []
        placed: list[tuple[Path, Path]] = []
        made: list[Path] = []
        done = False
        backup = None
        try:
            with deferred():
                try:
                    backup = Path(tempfile.mkdtemp(prefix=f".{self.name}.old-{os.getpid()}-",
                                                   dir=full))
                    for k, rel in enumerate(aside):
                        src = full / rel.rstrip("/")
                        os.rename(src, backup / str(k))
                        moved.append((src, backup / str(k)))
                    for rel in new:
                        dst = full / rel.rstrip("/")
                        if rel.endswith("/"):
                            _makedirs(dst, made)
                            continue
                        _makedirs(dst.parent, made)
                        os.rename(staging / rel, dst)
                        placed.append((staging / rel, dst))
                except OSError as exc:
                    error = write_error(self.label, exc, staging, self.path)
                    for src, dst in reversed(placed):
                        with contextlib.suppress(OSError):
                            os.rename(dst, src)
                    for folder in reversed(made):
                        with contextlib.suppress(OSError):
                            folder.rmdir()
                    for src, kept in reversed(moved):
                        with contextlib.suppress(OSError):
                            os.rename(kept, src)
                    if any(os.path.lexists(kept) for _, kept in moved):
                        done = True  # keep the backup: it holds what could not be put back
                        raise OutputError(f"{error}; some previous files could not be put back: "
                                          f"they are in {shown(backup)}") from None
                    raise error from None
            done = True
            # the folders that held only files of the previous output, now empty
            keep = {full / r.rstrip("/") for r in new if r.endswith("/")}
            for src, _ in moved:
                p = src.parent
                while p != full and full in p.parents and p not in keep:
                    try:
                        p.rmdir()
                    except OSError:
                        break
                    p = p.parent
            shutil.rmtree(backup, ignore_errors=True)
        finally:
            if not done and backup is not None:
                shutil.rmtree(backup, ignore_errors=True)
