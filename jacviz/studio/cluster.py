"""A course on a cluster: the shards of a render on a Dask distributed cluster.

``jacviz render SCENE --scheduler tcp://HOST:8786`` (:func:`render_on_cluster`) sends
the same shards as ``--jobs`` (see :mod:`jacviz.studio.shard`) to the cluster's workers,
each as plain data (:meth:`~jacviz.studio.shard.ShardJob.spec`: the parameters as typed,
validated again on the worker).  Each task renders its shard in a fresh process on the
worker (manim's configuration is global to a process) and returns the partial movies as
bytes; the client joins them, so the clip is identical to a local render.

Before any shard is sent, every worker is asked what it has: a worker with
another jacviz version or other jacviz code is refused, and so is a worker
without LaTeX.  A scheduler that cannot be reached, or a worker lost in the
middle of a render, ends the command with one error line and no output.

Each worker compiles TeX into ``media/Tex`` under its own working folder
(shared by every shard that worker renders, kept between renders); workers
do not share a TeX cache.  The extra: ``pip install 'jacviz[render,cluster]'``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .. import __version__
from ..core.errors import JacvizError
from ..core.signals import stage
from .request import RenderRequest
from .shard import ShardJob, finish, shard_work_dir, shards_of
from .sources import source_digest

CONNECT_TIMEOUT = "10s"


def worker_info() -> dict:
    """What a worker has (runs on the worker)."""
    return {"jacviz": __version__, "code": source_digest(),
            "latex": shutil.which("latex") is not None,
            "dvisvgm": shutil.which("dvisvgm") is not None}


def render_shard_task(spec: dict) -> dict:
    """One shard, rendered in a fresh process on this worker; partial movies as bytes."""
    with tempfile.TemporaryDirectory(prefix="jacviz-shard-") as tmp:
        spec = dict(spec, media=str(Path(tmp) / "media"))
        path = Path(tmp) / "spec.json"
        path.write_text(json.dumps(spec))
        res = subprocess.run([sys.executable, "-m", "jacviz.studio.shard", str(path)],
                             capture_output=True, text=True)
        if res.returncode != 0:
            last = (res.stderr.strip().splitlines() or ["(no message)"])[-1]
            raise JacvizError(f"shard {spec['shard']['index']} failed on worker: "
                              f"{last.removeprefix('error: ')}")
        out = json.loads(res.stdout.strip().splitlines()[-1])
        files = [Path(f) for f in out.pop("files")]
        out["names"] = [f.name for f in files]
        out["data"] = [f.read_bytes() for f in files]
        return out


def _connect(address: str):
    try:
        from distributed import Client
    except ImportError:
        raise JacvizError("--scheduler needs the cluster extra: pip install 'jacviz[cluster]'") from None
    try:
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise JacvizError(f"cannot reach the Dask scheduler at {address}: {reason[:200]}") from None


def check_workers(client) -> dict:
    """Refuse a cluster whose workers differ from this client or lack TeX."""
    mine = worker_info()
    infos = client.run(worker_info)
    if not infos:
        raise JacvizError(f"the Dask scheduler at {client.scheduler.address} has no workers")
    for addr, info in sorted(infos.items()):
        if info["jacviz"] != mine["jacviz"]:
            raise JacvizError(f"Dask worker {addr} has jacviz {info['jacviz']}, this client "
                              f"{mine['jacviz']}: install the same version on every worker")
        if info["code"] != mine["code"]:
            raise JacvizError(f"Dask worker {addr} runs other jacviz code than this client "
                              f"(source {info['code']}, here {mine['code']}): install the same "
                              f"jacviz on every worker")
        missing = [t for t in ("latex", "dvisvgm") if not info[t]]
        if missing:
            raise JacvizError(f"Dask worker {addr} has no {' or '.join(missing)}: install TeX "
                              f"(texlive-latex-base texlive-latex-recommended texlive-latex-extra "
                              f"texlive-fonts-recommended dvisvgm) on every worker")
    return infos


def run_on_cluster(address: str, specs: list[dict], work: Path) -> list[dict]:
    """The shards on the cluster; their partial movies written under ``work``."""
    client = _connect(address)
    try:
        check_workers(client)
        stage("cluster", address)
        futures = client.map(render_shard_task, specs, pure=False, retries=0)
        try:
            results = client.gather(futures)
        except JacvizError:
            raise
        except BaseException as exc:
            if isinstance(exc, KeyboardInterrupt):
                raise
            name = type(exc).__name__
            if name == "KilledWorker":
                raise JacvizError("a Dask worker was lost in the middle of the render; "
                                  "nothing was written (render again)") from None
            reason = " ".join(str(exc).split())[:200]
            raise JacvizError(f"the cluster could not render the shards: {name}: {reason}") from None
        finally:
            client.cancel(futures)
    finally:
        client.close()
    out = []
    for res in results:
        folder = work / f"cluster{res['index']}"
        folder.mkdir(parents=True, exist_ok=True)
        files = []
        for k, (name, data) in enumerate(zip(res["names"], res["data"])):
            path = folder / f"{k:05d}-{name}"
            path.write_bytes(data)
            files.append(str(path))
        out.append({"index": res["index"], "files": files, "srt": res.get("srt"),
                    "plays": res["plays"], "ended": res["ended"]})
    return out


def render_on_cluster(request: RenderRequest, jobs: int, address: str) -> list[Path]:
    """Render one clip in ``jobs`` shards on the Dask cluster at ``address``; returns the
    paths written."""
    shards = shards_of(request, jobs)
    work = shard_work_dir(request)
    try:
        specs = [ShardJob(request, s, work / f"shard{s.index}", last=s is shards[-1]).spec()
                 for s in shards]
        return finish(request, run_on_cluster(address, specs, work), work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
