"""
gunicorn's settings for production: `gunicorn -c kyphoinfo/gunicorn.conf.py`.

The environment can change the address (GUNICORN_BIND), the number of worker
processes (WEB_CONCURRENCY) and threads (GUNICORN_THREADS); GUNICORN_CMD_ARGS
overrides anything else. `make serve` and `make bench` both use this file.
"""

import os

wsgi_app = "kyphoinfo.wsgi"

# Comma-separated, e.g. "0.0.0.0:8000" behind a load balancer, or "unix:/run/kyphoinfo.sock".
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Threads, not one request per process: a connection kept alive by the load
# balancer, CDN or browser, or a client reading slowly, waits on a thread
# instead of holding a whole process. Rendering a page is CPU-bound Python, so
# the processes are what use the cores: 2 x cores + 1 (5 on a 2-core machine)
# keeps every core busy while other requests wait on the database or the cache,
# and costs about 60 MB each. 5 x 4 threads is up to 20 requests in progress,
# and with persistent connections up to 20 database connections per server.
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * len(os.sched_getaffinity(0)) + 1)
threads = int(os.environ.get("GUNICORN_THREADS") or 4)

# Forked from a master that has imported Django once: workers share its memory
# and start quickly, which is what makes recycling them cheap.
preload_app = True
# Recycle each worker after some thousands of requests so that a slow leak
# cannot grow without bound; the jitter keeps them from all restarting at once.
max_requests = 5000
max_requests_jitter = 500

# A worker that stops answering the master's heartbeat this long (say, stuck
# holding the GIL) is replaced. With threads this bounds the process, not a
# single slow request; the load balancer's own timeout does that.
timeout = 30
graceful_timeout = 30
# Longer than a load balancer's idle timeout (60 s on AWS's), so that the load
# balancer closes idle connections, never us just as it sends a request on one
# (its visitor would get a 502). Idle connections wait in the poller, not a thread.
keepalive = 75

# The access log goes to stdout for the platform's log collector; application
# logs go to stderr (settings.LOGGING). Without the client's address, referrer
# or user agent: which patient reads about which condition is nobody's business.
# The request id joins a line to the application's log lines for that request.
accesslog = "-"
access_log_format = '%(t)s "%(r)s" %(s)s %(B)s %(M)sms request_id=%({x-request-id}o)s'

# Heartbeat files in memory: on a container's overlay /tmp, a slow disk can
# make the master take busy workers for stuck ones.
# Only the master and its workers use the files, each created with a random name.
if os.path.isdir("/dev/shm"):  # noqa: S108
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# Nobody drives gunicorn through its control socket, and one under $HOME would
# be shared by every gunicorn on the machine (several servers, tests, benchmark).
control_socket_disable = True
