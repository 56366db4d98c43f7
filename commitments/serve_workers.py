"""Datasette in several processes on one port (`commitments serve --workers N`).

One Datasette process renders one page at a time: it builds each page's HTML in Python, cell by cell,
and Python runs one thread at a time, so a second core only helps its SQL (bench/README.md). Each
worker here is a whole Datasette (the same arguments as `datasette serve`) with a listening socket of
its own on the same port (SO_REUSEPORT), and the kernel spreads connections over them. (Workers
sharing one socket, as uvicorn's and gunicorn's do, were measured: a worker's event loop accepts every
connection waiting, so a handful of clients all landed on one worker.)
"""

import multiprocessing
import multiprocessing.connection
import os
import signal
import socket
import sys
import threading
import time

DEFAULT_MOST = 4  # the default is a process a core, up to this many
PARENT_CHECK_S = 0.5
STOP_GRACE_S = 5  # a worker told to stop that has not, within this, is stopped outright
STARTED = "Datasette on http://{host}:{port}/ in {workers} processes (stop with Ctrl+C)"


class PortInUse(Exception):
    pass


def default_workers() -> int:
    """A process a core, at most DEFAULT_MOST; one where sockets cannot share a port."""
    if not hasattr(socket, "SO_REUSEPORT"):
        return 1
    return max(1, min(os.cpu_count() or 1, DEFAULT_MOST))


def _listening_socket(host: str, port: int, reuse_port: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # TCP named: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on the connections of a socket
    # made for TCP. Without it a response written in two pieces waited for the client's delayed
    # acknowledgement: 40 ms on most small pages (bench/README.md).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


def free_port(host: str, port: int) -> int:
    """`port`, checked free (or a free one for 0), by a socket that does not share: a port some other
    server holds, even one of these workers, is refused rather than shared with it."""
    sock = _listening_socket(host, port, reuse_port=False)
    try:
        return sock.getsockname()[1]
    finally:
        sock.close()


def _stop_with(parent: int) -> None:
    """Stops this worker (as Ctrl+C would) once `parent` is gone, however it went: a worker left
    behind would hold the port and serve on its own."""
    def watch():
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_S)
        os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's own way out, closing its connections
        time.sleep(STOP_GRACE_S)
        os._exit(1)
    threading.Thread(target=watch, daemon=True).start()


def _worker(args: list[str], host: str, port: int, parent: int) -> None:
    import uvicorn
    from datasette.cli import serve as serve_command

    _stop_with(parent)
    context = serve_command.make_context("serve", list(args[1:]))  # args[0] is the command's name
    datasette = serve_command.callback(**{**context.params, "return_instance": True})
    sock = _listening_socket(host, port, reuse_port=True)
    sock.listen(2048)
    uvicorn.Server(uvicorn.Config(datasette.app(), log_level="info", lifespan="on")).run(sockets=[sock])


def serve(args: list[str], host: str, port: int, workers: int) -> int:
    """Run `workers` Datasette processes with `datasette serve` arguments `args` (whose --port is
    `port`) until stopped or until one of them stops; returns the exit code."""
    # Spawned, not forked: nothing of this process (an open SQLite connection above all) is carried over.
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_worker, args=(args, host, port, os.getpid()), daemon=True)
                 for _ in range(workers)]
    for process in processes:
        process.start()
    print(STARTED.format(host=host, port=port, workers=workers), file=sys.stderr, flush=True)

    def stop(*_signal):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        by_sentinel = {process.sentinel: process for process in processes}
        stopped = by_sentinel[multiprocessing.connection.wait(list(by_sentinel))[0]]
        stopped.join()
        return stopped.exitcode or 1  # one worker gone: stop the others rather than serve on fewer
    except KeyboardInterrupt:
        return 0
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.join(STOP_GRACE_S)
            if process.is_alive():
                process.kill()
