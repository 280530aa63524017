"""
The benchmark behind `manage.py benchmark` (`make bench`): the demo site served
by gunicorn with production settings, measured with wrk, next to a static file
of the article page's size served by the same gunicorn and WhiteNoise, the
fastest any page could be.

Everything it starts lives in a temporary directory (database, static files,
cache) and is removed afterwards, on success, failure or Ctrl-C alike.
"""

import dataclasses
import http.client
import json
import os
import re
import runpy
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

import dj_database_url
from django.conf import settings
from whitenoise.compress import Compressor

GUNICORN_CONFIG = settings.BASE_DIR / "kyphoinfo" / "gunicorn.conf.py"

ARTICLE = "/en/guides/spinal-fractures-and-kyphoplasty/how-balloon-kyphoplasty-works/"
GUIDE = "/en/guides/spinal-fractures-and-kyphoplasty/"
SEARCH = "/en/search/?q=cement"
# Under STATIC_ROOT: the article page's own HTML, compressed like every static file.
STATIC_NAME = "benchmark/article.html"
STATIC = settings.STATIC_URL + STATIC_NAME

# The targets, for 64 connections held for 30 seconds.
CACHED_RATIO = 0.70
UNCACHED_RATIO = 0.25

# Browsers ask for compressed pages, and both the page cache and WhiteNoise
# serve them compressed, so the benchmark asks the same for every target.
REQUEST_HEADERS = {"Accept-Encoding": "gzip"}

RESULT_MARKER = "kyphoinfo-wrk-result: "

# wrk calls done() once at the end; latencies are in microseconds. Printing
# numbers rather than wrk's rounded, unit-suffixed text keeps parsing exact.
WRK_SCRIPT = """\
done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '%s{"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, '
    .. '"read": %d, "write": %d, "status": %d, "timeout": %d, '
    .. '"p50_us": %d, "p99_us": %d}\\n',
    "kyphoinfo-wrk-result: ", summary.requests, summary.duration, summary.bytes,
    errors.connect, errors.read, errors.write, errors.status, errors.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""

ERROR_KINDS = ("connect", "read", "write", "timeout", "status")


@dataclasses.dataclass(frozen=True)
class Target:
    key: str
    label: str
    server: str  # "cached" or "uncached": which of the two servers it runs against
    path: str


TARGETS = [
    Target("static", "Static file, same size (the limit)", "cached", STATIC),
    Target("article", "Article page, cached", "cached", ARTICLE),
    Target("article-uncached", "Article page, uncached", "uncached", ARTICLE),
    Target("guide", "Guide page", "cached", GUIDE),
    Target("search", "Search page", "cached", SEARCH),
]


@dataclasses.dataclass(frozen=True)
class Run:
    """One wrk run against one target."""

    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: dict

    @property
    def rate(self):
        return self.requests / self.seconds


@dataclasses.dataclass(frozen=True)
class Summary:
    """A target's medians over its rounds, errors summed over them."""

    target: Target
    rate: float
    p50_ms: float
    p99_ms: float
    errors: dict
    ratio: float
    peak_mb: float | None


def parse_wrk(output):
    """The Run in wrk's output, as printed by WRK_SCRIPT."""
    for line in output.splitlines():
        if line.startswith(RESULT_MARKER):
            data = json.loads(line.removeprefix(RESULT_MARKER))
            return Run(
                requests=data["requests"],
                seconds=data["duration_us"] / 1e6,
                p50_ms=data["p50_us"] / 1000,
                p99_ms=data["p99_us"] / 1000,
                errors={kind: data[kind] for kind in ERROR_KINDS},
            )
    raise ValueError(f"wrk printed no result line:\n{output}")


def summarize(runs, peaks):
    """
    One Summary per target from its runs ({key: [Run, ...]}), with the ratio of
    its median rate to the static file's, and its server's peak worker memory.
    """
    limit = statistics.median(run.rate for run in runs["static"])
    summaries = []
    for target in TARGETS:
        if target.key not in runs:
            continue
        rounds = runs[target.key]
        rate = statistics.median(run.rate for run in rounds)
        summaries.append(
            Summary(
                target=target,
                rate=rate,
                p50_ms=statistics.median(run.p50_ms for run in rounds),
                p99_ms=statistics.median(run.p99_ms for run in rounds),
                errors={
                    kind: sum(run.errors[kind] for run in rounds)
                    for kind in ERROR_KINDS
                },
                ratio=rate / limit,
                peak_mb=peaks.get(target.key),
            )
        )
    return summaries


def format_errors(errors):
    total = sum(errors.values())
    if not total:
        return "0"
    details = ", ".join(
        f"{'non-2xx' if kind == 'status' else kind}: {count}"
        for kind, count in errors.items()
        if count
    )
    return f"{total} ({details})"


def table(summaries):
    """The results as a markdown table."""
    lines = [
        "| Target | Requests/s | p50 | p99 | Errors | Of the static rate | Peak memory per worker |",
        "| --- | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for summary in summaries:
        memory = "–" if summary.peak_mb is None else f"{summary.peak_mb:.0f} MB"
        lines.append(
            f"| {summary.target.label} | {summary.rate:,.0f} "
            f"| {summary.p50_ms:.1f} ms | {summary.p99_ms:.1f} ms "
            f"| {format_errors(summary.errors)} | {summary.ratio:.0%} | {memory} |"
        )
    return "\n".join(lines)


def verdicts(summaries, connections):
    """The issue's targets as (passed, description) pairs."""
    by_key = {summary.target.key: summary for summary in summaries}
    results = []
    for key, minimum in (
        ("article", CACHED_RATIO),
        ("article-uncached", UNCACHED_RATIO),
    ):
        if key in by_key:
            ratio = by_key[key].ratio
            description = (
                f"{by_key[key].target.label}: {ratio:.0%} of the static rate "
                f"(target at least {minimum:.0%})"
            )
            results.append((ratio >= minimum, description))
    errors = sum(sum(summary.errors.values()) for summary in summaries)
    results.append(
        (errors == 0, f"Errors at {connections} connections: {errors} (target 0)")
    )
    return results


def worker_pids(master_pid):
    """The pids of a gunicorn master's workers, i.e. its child processes."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue  # it exited meanwhile
        # The command name in parentheses may itself contain spaces.
        fields = stat.rpartition(")")[2].split()
        if int(fields[1]) == master_pid:
            children.append(int(entry.name))
    return children


def peak_memory_kb(pid):
    """A process's peak resident memory (VmHWM), or None once it has exited."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    found = re.search(r"^VmHWM:\s+(\d+) kB", status, re.MULTILINE)
    return int(found[1]) if found else None


class PeakMemory:
    """
    The highest peak memory of any worker of a gunicorn master while the block
    runs, sampled often: workers are recycled (max_requests) and take their
    peak with them.
    """

    def __init__(self, master_pid, interval=0.25):
        self.master_pid = master_pid
        self.interval = interval
        self.peak_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def sample(self):
        for pid in worker_pids(self.master_pid):
            self.peak_kb = max(self.peak_kb, peak_memory_kb(pid) or 0)

    def _watch(self):
        while not self._stop.wait(self.interval):
            self.sample()

    def __enter__(self):
        self.sample()
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join()
        self.sample()


class Server:
    """gunicorn with kyphoinfo/gunicorn.conf.py on a free port of 127.0.0.1."""

    def __init__(self, name, env, directory, keep_access_log=False):
        self.name = name
        self.log = Path(directory) / f"gunicorn-{name}.log"
        # The access log (stdout): under load, a line per request; the
        # benchmark does not keep it.
        self.access_log = Path(directory) / f"access-{name}.log"
        stdout = self.access_log.open("w") if keep_access_log else subprocess.DEVNULL
        with self.log.open("w") as log:
            # Our own interpreter and configuration, no outside input.
            self.process = subprocess.Popen(  # noqa: S603
                [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONFIG)],
                cwd=settings.BASE_DIR,
                env={**env, "GUNICORN_BIND": "127.0.0.1:0"},
                stdout=stdout,
                stderr=log,
            )
        if keep_access_log:
            stdout.close()  # gunicorn has its own copy
        self.url = None

    @property
    def pid(self):
        return self.process.pid

    def wait_until_ready(self, seconds=60):
        """Wait until it listens and a worker answers its health check."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            if self.url is None:
                found = re.search(
                    r"Listening at: (http://127\.0\.0\.1:\d+)", self.log.read_text()
                )
                self.url = found and found[1]
            if self.url:
                try:
                    if get(self.url + "/healthz").status == 200:
                        return
                except OSError:
                    pass
            time.sleep(0.1)
        raise RuntimeError(
            f"gunicorn ({self.name}) did not start:\n{self.log.read_text()[-3000:]}"
        )

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()  # graceful: workers finish their requests
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@dataclasses.dataclass
class Response:
    status: int
    headers: dict
    body: bytes


def get(url, headers=None):
    """GET without following redirects, so a redirect shows as one."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return Response(
            response.status,
            {name.lower(): value for name, value in response.getheaders()},
            response.read(),
        )
    finally:
        connection.close()


def wrk():
    """wrk's path."""
    path = shutil.which("wrk")
    if not path:
        raise RuntimeError("wrk is not installed: `apt-get install wrk`.")
    return path


def wrk_command(url, *, duration, connections, threads, script):
    command = [
        wrk(),
        "--threads",
        str(threads),
        "--connections",
        str(connections),
        "--duration",
        f"{duration}s",
        # A response slower than this counts as an error.
        "--timeout",
        "2s",
        "--script",
        str(script),
    ]
    for name, value in REQUEST_HEADERS.items():
        command += ["--header", f"{name}: {value}"]
    return [*command, url]


def run_wrk(url, *, duration, connections, threads, script):
    # wrk's arguments are the benchmark's own options and URLs.
    result = subprocess.run(  # noqa: S603
        wrk_command(
            url,
            duration=duration,
            connections=connections,
            threads=threads,
            script=script,
        ),
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"wrk failed:\n{result.stdout}{result.stderr}")
    return parse_wrk(result.stdout)


class Database:
    """
    The benchmark's own database: a SQLite file in the temporary directory, or,
    when DATABASE_URL names a PostgreSQL server, a new database on that server.
    """

    def __init__(self, directory):
        url = os.environ.get("DATABASE_URL", "")
        self.postgres = (
            url
            and dj_database_url.parse(url)["ENGINE"] == "django.db.backends.postgresql"
        )
        if not self.postgres:
            self.url = f"sqlite:///{Path(directory) / 'db.sqlite3'}"
            self.description = "SQLite"
            return
        config = dj_database_url.parse(url)
        self.name = f"{config['NAME']}_bench_{os.getpid()}"[:63]
        self.server = {
            "host": config["HOST"] or None,
            "port": config["PORT"] or None,
            "user": config["USER"] or None,
            "password": config["PASSWORD"] or None,
        }
        self.url = urllib.parse.urlsplit(url)._replace(path=f"/{self.name}").geturl()
        self.description = "PostgreSQL"
        self._execute("CREATE DATABASE {}")

    def _execute(self, statement):
        import psycopg
        from psycopg import sql

        with psycopg.connect(dbname="postgres", autocommit=True, **self.server) as c:
            c.execute(sql.SQL(statement).format(sql.Identifier(self.name)))

    def drop(self):
        if self.postgres:
            self._execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")


class Cache:
    """
    The benchmark's own cache: a directory of files, or with REDIS_URL keys
    under a prefix of its own in that Redis, deleted afterwards.
    """

    def __init__(self, directory):
        self.redis_url = os.environ.get("REDIS_URL", "")
        self.prefix = f"kyphoinfo-bench-{secrets.token_hex(8)}"
        self.env = {"KYPHOINFO_CACHE_KEY_PREFIX": self.prefix}
        if self.redis_url:
            self.env["REDIS_URL"] = self.redis_url
            self.description = "Redis"
        else:
            self.env["KYPHOINFO_CACHE_DIR"] = str(Path(directory) / "cache")
            self.description = "file cache"

    def clear(self):
        if self.redis_url:
            import redis

            client = redis.Redis.from_url(self.redis_url)
            for key in client.scan_iter(f"{self.prefix}:*"):
                client.delete(key)


def production_env(**extra):
    """
    The environment of a production-like process on 127.0.0.1: this one's,
    without any DJANGO_, KYPHOINFO_, GUNICORN_ settings of its own, plus `extra`.
    """
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "KYPHOINFO_", "GUNICORN_"))
        and name not in {"DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY"}
    }
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_HTTPS="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
    )
    env.update(extra)
    return env


class Benchmark:
    """
    Sets up the site, runs the rounds and reports; close() undoes everything.
    `say` prints a progress line.
    """

    def __init__(
        self,
        *,
        duration,
        connections,
        rounds,
        warmup,
        wrk_threads,
        say,
        workers=None,
        threads=None,
    ):
        self.duration = duration
        self.connections = connections
        self.rounds = rounds
        self.warmup = warmup
        self.wrk_threads = wrk_threads
        self.say = say
        # What `make serve` would run here, unless told otherwise.
        config = runpy.run_path(str(GUNICORN_CONFIG))
        self.workers = workers or config["workers"]
        self.threads = threads or config["threads"]
        self.worker_class = config["worker_class"]
        self.directory = None
        self.database = None
        self.cache = None
        self.servers = {}
        self.sizes = {}

    def set_up(self):
        self.directory = Path(tempfile.mkdtemp(prefix="kyphoinfo-bench-"))
        self.database = Database(self.directory)
        self.cache = Cache(self.directory)
        self.static_root = self.directory / "static"
        self.env = production_env(
            DATABASE_URL=self.database.url,
            DJANGO_STATIC_ROOT=str(self.static_root),
            DJANGO_MEDIA_ROOT=str(self.directory / "media"),
            WEB_CONCURRENCY=str(self.workers),
            GUNICORN_THREADS=str(self.threads),
            **self.cache.env,
        )
        self.say(f"Demo content in {self.database.description}, static files…")
        for command in (
            ["migrate", "--noinput"],
            ["load_demo"],
            ["collectstatic", "--noinput"],
        ):
            self.manage(*command)

        # The uncached server first: it renders the article whose exact HTML
        # becomes the static file, which the cached server then finds at startup.
        self.start("uncached", KYPHOINFO_PAGE_CACHE_SECONDS="0")
        article = get(self.servers["uncached"].url + ARTICLE)
        if article.status != 200:
            raise RuntimeError(f"The article page answered {article.status}.")
        static_file = self.static_root / STATIC_NAME
        static_file.parent.mkdir(parents=True, exist_ok=True)
        static_file.write_bytes(article.body)
        Compressor(quiet=True).compress(str(static_file))
        self.sizes["html"] = len(article.body)
        self.start("cached")

    def manage(self, *args):
        result = subprocess.run(  # noqa: S603 - our own manage.py commands
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode:
            raise RuntimeError(
                f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}"
            )

    def start(self, name, **extra):
        self.say(f"Starting gunicorn ({name})…")
        server = Server(name, {**self.env, **extra}, self.directory)
        self.servers[name] = server
        server.wait_until_ready()

    def url(self, target):
        return self.servers[target.server].url + target.path

    def check_targets(self):
        """Each target answers 200, compressed as asked; its size is noted."""
        for target in TARGETS:
            response = get(self.url(target), REQUEST_HEADERS)
            if response.status != 200:
                raise RuntimeError(f"{target.label} answered {response.status}.")
            if response.headers.get("content-encoding") != "gzip":
                raise RuntimeError(f"{target.label} was not served compressed.")
            self.sizes[target.key] = len(response.body)

    def wrk(self, target, duration, script):
        return run_wrk(
            self.url(target),
            duration=duration,
            connections=self.connections,
            threads=self.wrk_threads,
            script=script,
        )

    def measure(self):
        """Warm every target, then run the rounds, each visiting every target once."""
        script = self.directory / "report.lua"
        script.write_text(WRK_SCRIPT)
        self.check_targets()
        self.say(f"Warming up ({self.warmup} s per target)…")
        for target in TARGETS:
            self.wrk(target, self.warmup, script)
        runs = {target.key: [] for target in TARGETS}
        peaks = dict.fromkeys(runs, 0)
        for number in range(1, self.rounds + 1):
            for target in TARGETS:
                self.say(f"Round {number}/{self.rounds}: {target.label}…")
                with PeakMemory(self.servers[target.server].pid) as memory:
                    runs[target.key].append(self.wrk(target, self.duration, script))
                peaks[target.key] = max(peaks[target.key], memory.peak_kb / 1024)
        return summarize(runs, peaks)

    def describe(self):
        """What ran where, for the line above the table."""
        cpu = re.search(
            r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE
        )
        version = subprocess.run(  # noqa: S603
            [wrk(), "--version"], capture_output=True, text=True, check=False
        ).stdout.split(" [")[0]
        return (
            f"{cpu[1] if cpu else 'unknown CPU'}, {os.cpu_count()} cores; "
            f"gunicorn, {self.workers} {self.worker_class} workers × {self.threads} "
            "threads; "
            f"{self.database.description}, {self.cache.description}; "
            f"{version}, {self.wrk_threads} thread(s), {self.connections} connections, "
            f"{self.rounds} rounds of {self.duration} s per target, interleaved; "
            f"`Accept-Encoding: gzip`."
        )

    def close(self):
        """Stop the servers and remove the database, cache and files, whatever happened."""
        for server in self.servers.values():
            server.stop()
        for undo in (
            self.database and self.database.drop,
            self.cache and self.cache.clear,
        ):
            if undo:
                try:
                    undo()
                except Exception as error:  # noqa: BLE001 - still remove the rest
                    self.say(f"Could not clean up: {error}")
        if self.directory:
            shutil.rmtree(self.directory, ignore_errors=True)
