"""Article files parsed in a child process, under a time limit and a memory limit.

One bad file (text that makes the parser slow, a bomb that makes it swell) must not take the
dashboard down. So the app never parses a file itself: every file it reads (the corpus at
start-up, the uploads folder, a dropped file before it is accepted) is read and its events
extracted, as `timeline.parse` does, by a helper process, one file at a time, under `Limits`:
CPU seconds (RLIMIT_CPU, more for a larger file) and memory (RLIMIT_AS, above what the idle
helper holds), with a wall-clock backstop. A file over a limit comes back refused, with the
reason (`Parsed.refused`), and the next file gets a new helper.

The helper (`python -m timeline.webapp.sandbox`, `main`) loads the parser's word lists and
gazetteer once, then reads one job a line on stdin and answers one JSON line on stdout: the
event records of each article of the file. Each app process has one helper (every gunicorn
worker its own), started on first use, used by one thread at a time (a lock): a sandbox, not
a pool. Both limits are enforced on Linux; elsewhere only the wall-clock backstop applies.
"""
from __future__ import annotations

import atexit
import base64
import datetime as dt
import json
import math
import os
import queue
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from timeline.errors import InputError

MB = 1_000_000

WALL_FACTOR, WALL_SLACK = 3, 10
"""A job's wall-clock backstop: WALL_FACTOR times its CPU seconds plus WALL_SLACK seconds
(a loaded machine gives the helper less than a core; a helper that waits on nothing but
uses no CPU is caught here)."""

COMMAND = (sys.executable, "-m", "timeline.webapp.sandbox")
"""How the helper is started: this module run by the app's own Python."""

START_SECONDS = 180
"""Wall-clock seconds a new helper may take to load the parser (the first run on a machine
builds the gazetteer cache)."""


LIMIT_ENV = {"seconds": "TIMELINE_PARSE_SECONDS", "seconds_per_mb": "TIMELINE_PARSE_SECONDS_PER_MB",
             "memory_mb": "TIMELINE_PARSE_MEMORY_MB"}
"""The environment variables that set each of `Limits` (see `Limits.from_env`)."""


@dataclass(frozen=True)
class Limits:
    """What parsing one file may cost: `seconds` of CPU plus `seconds_per_mb` per MB of the
    file, and `memory_mb` MB of memory beyond what the parser holds before the file.
    Raises InputError for a limit that is not a positive number (`seconds_per_mb` may be 0)."""

    seconds: float = 5.0
    seconds_per_mb: float = 3.0
    memory_mb: float = 512

    def __post_init__(self):
        for name in LIMIT_ENV:
            value = getattr(self, name)
            ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
            if not ok or value < 0 or (value == 0 and name != "seconds_per_mb"):
                raise InputError(f"the parse limit {name} must be a positive number, not {value!r}")

    def cpu_seconds(self, size: int) -> int:
        """Whole CPU seconds allowed for a file of `size` bytes (at least 1)."""
        return max(1, math.ceil(self.seconds + self.seconds_per_mb * size / MB))

    @classmethod
    def from_env(cls, environ=None) -> Limits:
        """Limits from the variables of LIMIT_ENV in `environ` (default os.environ; unset or
        empty: the default). Raises InputError naming a variable that is not a positive number."""
        environ = os.environ if environ is None else environ
        values = {}
        for name, var in LIMIT_ENV.items():
            text = (environ.get(var) or "").strip()
            if text:
                try:
                    values[name] = float(text)
                except ValueError:
                    raise InputError(f"{var}={text!r} is not a number") from None
        return cls(**values)


@dataclass
class Parsed:
    """What the helper made of one file: the event records of each of its articles (as
    `extract.extract_events` gives them, dates as ISO text), one line per problem with a
    part of it (a bad JSON item, or the file itself as `read_many` words it), and
    `refused`: why the file gave nothing (a read error, or a limit), one line naming it."""

    articles: list[list[dict]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    refused: str | None = None


def parse_file(path: str | os.PathLike, *, limits: Limits, max_bytes: int) -> Parsed:
    """The articles and events of the file at `path` (see `Parsed`), read as `read_many`
    reads it (errors name the path), in the helper under `limits`. Never raises for the
    file: what went wrong is in the result."""
    name = os.fspath(path)
    try:
        size = os.stat(name).st_size
    except OSError:
        size = 0  # the helper says what is wrong with it
    return _run({"path": name, "max_bytes": max_bytes}, name, size, limits)


def parse_bytes(name: str, data: bytes, *, limits: Limits, max_bytes: int) -> Parsed:
    """The articles and events of a file's bytes named `name` (its extension gives the
    format; errors name it), read as `read.read_bytes` reads them, in the helper under
    `limits`. Never raises for the file: what went wrong is in the result."""
    job = {"name": name, "data": base64.b64encode(data).decode("ascii"), "max_bytes": max_bytes}
    return _run(job, name, len(data), limits)


# --------------------------------------------------------------------------- the app's side

_lock = threading.Lock()
_helper: _Helper | None = None


class _Helper:
    """One helper process, and a thread putting its answer lines on a queue."""

    def __init__(self):
        import timeline

        root = str(Path(timeline.__file__).resolve().parents[1])
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(list(COMMAND), stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
        self.answers: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, args=(self.proc.stdout, self.answers), daemon=True).start()

    @staticmethod
    def _read(stream, answers: queue.Queue) -> None:
        for line in stream:
            answers.put(line)
        answers.put(None)

    def answer(self, timeout: float) -> dict | None:
        """The helper's next answer; None when it exited or said something else than an
        answer. Raises queue.Empty on timeout."""
        line = self.answers.get(timeout=timeout)
        try:
            return None if line is None else json.loads(line)
        except ValueError:
            return None

    def ask(self, job: dict, timeout: float) -> dict | None:
        """Send `job`; its answer, None when the helper exited. Raises queue.Empty on timeout."""
        try:
            self.proc.stdin.write(json.dumps(job).encode() + b"\n")
            self.proc.stdin.flush()
        except OSError:  # it exited: its answer queue ends with None
            pass
        return self.answer(timeout)

    def stop(self, grace: float = 0) -> int | None:
        """End the helper, after `grace` seconds for it to exit by itself; its exit status
        (negative: the signal that ended it)."""
        try:
            self.proc.wait(grace)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        code = self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        return code


def stop() -> None:
    """End this process's helper, if it runs; the next parse starts a new one."""
    global _helper
    with _lock:
        if _helper is not None:
            _helper.stop()
            _helper = None


atexit.register(stop)


def _forget_after_fork() -> None:
    """In a forked process (a gunicorn worker of a preloading master) the helper is the
    parent's: leave it to the parent, start one of our own when needed."""
    global _helper, _lock
    if _helper is not None:
        for stream in (_helper.proc.stdin, _helper.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
    _helper, _lock = None, threading.Lock()


os.register_at_fork(after_in_child=_forget_after_fork)


def _started() -> _Helper | str:
    """The running helper (started if need be), or why it could not start."""
    global _helper
    if _helper is not None and _helper.proc.poll() is None:
        return _helper
    if _helper is not None:
        _helper.stop()
    _helper = helper = _Helper()
    try:
        ready = helper.answer(START_SECONDS)
    except queue.Empty:
        ready = None
    if not (isinstance(ready, dict) and ready.get("ready")):
        code = helper.stop(grace=5)
        _helper = None
        return f"the parser could not start (exit status {code}; see the server's log)"
    return helper


def _run(job: dict, name: str, size: int, limits: Limits) -> Parsed:
    """Have the helper answer `job` (a file named `name` of `size` bytes) under `limits`."""
    global _helper
    seconds = limits.cpu_seconds(size)
    job = {**job, "seconds": seconds, "memory": int(limits.memory_mb * MB)}
    with _lock:
        helper = _started()
        if isinstance(helper, str):
            return Parsed(refused=f"{name}: not read: {helper}")
        try:
            answer = helper.ask(job, seconds * WALL_FACTOR + WALL_SLACK)
        except queue.Empty:
            answer, why = None, f"parsing it took more than {seconds * WALL_FACTOR + WALL_SLACK} s"
        else:
            why = None
        if isinstance(answer, dict) and "articles" in answer:
            return Parsed(answer["articles"], answer["errors"], answer.get("refused"))
        code = helper.stop(grace=0 if why else 5)  # it ended, or is ending, by itself
        _helper = None
    if why is None:
        why = _why(answer, code, seconds, limits, size)
    return Parsed(refused=f"{name}: not read: {why}")


def _why(answer: dict | None, code: int | None, seconds: int, limits: Limits, size: int) -> str:
    """Why the helper gave no articles: its own word, or how it ended."""
    if isinstance(answer, dict) and answer.get("refused") == "memory":
        return f"parsing it needed more than {limits.memory_mb:g} MB of memory"
    if code == -signal.SIGXCPU:
        return f"parsing it took more than {seconds} s (the limit for a file of {_size(size)})"
    if code == -signal.SIGKILL:
        return "the parser was killed (SIGKILL), most likely for lack of memory"
    return f"the parser stopped (exit status {code}; see the server's log)"


def _size(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{max(1, round(n / 1000))} KB"


# --------------------------------------------------------------------------- the helper's side

WARM_UP = ("VILNIUS: Lithuania closed two border crossings with Belarus on 28 October 2025, "
           "the government said on Wednesday.")
"""A short article parsed once at start, so that the word lists, the tagger's rules and the
gazetteer are loaded before any file's time is counted."""


def main() -> None:
    """The helper: load the parser, say {"ready": true}, then answer each job line (see
    `_answer`) until stdin closes; exit after a file that ran out of memory."""
    import resource

    # Our answers alone on stdout: anything printed goes to stderr.
    out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    from timeline.extract import extract_events
    from timeline.read import article_from_text

    signal.signal(signal.SIGXCPU, signal.SIG_DFL)  # over the CPU limit: end at once
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # and leave no core file
    extract_events(article_from_text(WARM_UP, published="2025-10-29"))
    _send(out, {"ready": True})
    for line in sys.stdin:
        answer = _answer(json.loads(line))
        _send(out, answer)
        if answer.get("refused") == "memory":
            return


def _send(out, answer: dict) -> None:
    out.write(json.dumps(answer, default=_iso, allow_nan=True) + "\n")
    out.flush()


def _iso(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


def _answer(job: dict) -> dict:
    """{"articles": records per article, "errors": lines, "refused": a line or None} for
    one job ({"path"} or {"name", "data"}, with "max_bytes", "seconds", "memory"), parsed
    under its limits; {"refused": "memory"} when it ran out of memory."""
    name = job.get("path") or job.get("name") or "(unnamed)"
    _limit(job["seconds"], job["memory"])
    try:
        return _parse_job(job)
    except MemoryError:
        return {"refused": "memory"}
    except Exception as e:  # noqa: BLE001 (the sandbox's last line: any failure is this file's)
        detail = " ".join(str(e).split())[:200]
        return {"articles": [], "errors": [],
                "refused": f"{name}: not read ({type(e).__name__}{': ' + detail if detail else ''})"}
    finally:
        _unlimit()


def _parse_job(job: dict) -> dict:
    from timeline.extract import extract_events
    from timeline.read import input_problem, read_bytes, read_path

    refused, errors = None, []
    name = job.get("path") or job["name"]
    try:
        if "path" in job:
            articles = read_path(job["path"], max_bytes=job["max_bytes"], problems=errors)
        else:
            articles = read_bytes(job["name"], base64.b64decode(job["data"]), max_bytes=job["max_bytes"],
                                  problems=errors)
    except MemoryError:
        raise  # over the memory limit: `_answer` says so, with the limit
    except Exception as e:  # noqa: BLE001 -- the file's failure is its one line
        articles, failure = [], input_problem(name, e)
        # a corpus file is named among the errors, as read_many names it; an upload is refused
        errors, refused = (errors + [failure], None) if "path" in job else (errors, failure)
    records = []
    for article in articles:
        try:
            records.append(extract_events(article))
        except MemoryError:
            raise
        except Exception as e:  # noqa: BLE001 -- one article's failure is its line, as in timeline.parse
            errors.append(input_problem(article.path or article.article_id, e))
    return {"articles": records, "errors": errors, "refused": refused}


def _limit(seconds: int, memory: int) -> None:
    """CPU: `seconds` more than used so far; address space: `memory` bytes more than now."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_SELF)
    _set(resource.RLIMIT_CPU, math.ceil(usage.ru_utime + usage.ru_stime) + int(seconds))
    now = _address_space()
    if now:
        _set(resource.RLIMIT_AS, now + int(memory))


def _unlimit() -> None:
    import resource

    for which in (resource.RLIMIT_CPU, resource.RLIMIT_AS):
        _set(which, None)


def _set(which: int, soft: int | None) -> None:
    """Set the soft limit `which` to `soft` (None: as high as the hard limit allows)."""
    import resource

    _, hard = resource.getrlimit(which)
    if soft is None or (hard != resource.RLIM_INFINITY and soft > hard):
        soft = hard
    resource.setrlimit(which, (soft, hard))


def _address_space() -> int | None:
    """This process's address space in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


if __name__ == "__main__":
    main()
