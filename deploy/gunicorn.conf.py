"""gunicorn on one app server: `gunicorn -c deploy/gunicorn.conf.py mieplan_site.wsgi`.

Every value can be changed through the environment (deploy/mieplan.env.example), so the systemd unit, the
compose file and deploy/smoke.py share this one file."""

import os

# App servers listen on the private network only: Django trusts X-Forwarded-Proto and X-Forwarded-For from
# whoever can reach this port, so only the load balancer may.
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]

# Rendering a page is CPU work (docs/PERFORMANCE.md: ~12-28 ms per uncached page), so sync workers, about two
# per core; a request waiting on PostgreSQL or Redis leaves the core to the other worker.
workers = int(os.environ.get("WEB_CONCURRENCY") or (os.cpu_count() or 1) * 2 + 1)
worker_class = "sync"

# The slowest legitimate requests are the moderators' CSV/XLSX exports; a resident's page takes milliseconds.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# A rolling restart lets running requests finish (systemd waits longer than this before it kills).
graceful_timeout = 30
# Recycle workers now and then, staggered, so slow memory growth never needs a restart by hand.
max_requests = 2000
max_requests_jitter = 200

# The load balancer's addresses: gunicorn believes their X-Forwarded-Proto for wsgi.url_scheme. Django reads
# the header itself (SECURE_PROXY_SSL_HEADER), which is why the port must not be reachable by anyone else.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Two instances on one host must not share gunicorn's default control socket in $HOME.
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", "")
control_socket_disable = not control_socket

# Logs go to stdout/stderr: journald or the container runtime keeps them.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "warning")
# %(h)s is the load balancer; the resident's address is the last X-Forwarded-For entry.
access_log_format = '%(h)s "%({x-forwarded-for}i)s" %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
proc_name = os.environ.get("GUNICORN_PROC_NAME", "mieplan-web")
# Heartbeat files in RAM, not on a possibly slow disk (the default is /tmp); gunicorn creates them with
# mkstemp, so a shared directory is safe.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108
