"""Datasette in several processes on one port (`commitments serve --workers N`).

One Datasette process renders one page at a time: it builds each page's HTML in Python, cell by cell,
and Python runs one thread at a time, so a second core only helps its SQL (bench/README.md). Each
worker here is a whole Datasette (the same arguments as `datasette serve`), and all of them accept
connections from one listening socket that this process opens (so a port in use is refused before
any worker starts).

A connection stays with the worker that accepted it for all its requests (keep-alive), so what counts
is who accepts. Left to the kernel, the spread was uneven: with sockets of their own (SO_REUSEPORT) six
clients' connections were hashed 4 / 2 over two workers in most runs, and the four waited on one core
while the other idled (p95 of a search page 276-319 ms, against 217-220 split 3 / 3); sharing one
socket the usual way, a worker's event loop accepts every connection waiting, so a handful of clients
all landed on one worker. So each worker here accepts one connection at a time, and only while no other
worker has fewer open (a count each keeps in shared memory); a worker that stays behind for
DEFER_MOST_S (busy with a long page) is not waited for.
"""

import asyncio
import multiprocessing
import multiprocessing.connection
import os
import select
import signal
import socket
import sys
import threading
import time

DEFAULT_MOST = 4  # the default is a process a core, up to this many
PARENT_CHECK_S = 0.5
STOP_GRACE_S = 5  # a worker told to stop that has not, within this, is stopped outright
STARTED = "Datasette on http://{host}:{port}/ in {workers} processes (stop with Ctrl+C)"
BACKLOG = 2048
DEFER_S = 0.002  # how often a worker with more connections than another looks again
DEFER_MOST_S = 0.05  # ... and how long it leaves a waiting connection to the others
NOT_ACCEPTING = 1 << 30  # a worker's count until it accepts: nobody waits for a worker still starting


class PortInUse(Exception):
    pass


def default_workers() -> int:
    """A process a core, at most DEFAULT_MOST (one where sockets cannot be handed to other processes)."""
    if os.name != "posix":
        return 1
    return max(1, min(os.cpu_count() or 1, DEFAULT_MOST))


def listening_socket(host: str, port: int) -> socket.socket:
    """The port's listening socket (port 0: a free one), or PortInUse."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # TCP named: asyncio turns Nagle's algorithm off (TCP_NODELAY) only on the connections of a socket
    # made for TCP. Without it a response written in two pieces waited for the client's delayed
    # acknowledgement: 40 ms on most small pages (bench/README.md).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # a restart need not wait out TIME_WAIT
    try:
        sock.bind((host, port))
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        raise PortInUse(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    return sock


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


class _CountedConnections(set):
    """uvicorn's set of a worker's open connections, its size written to the worker's slot of the shared
    counts as it changes, so that the others see a connection closed at once."""

    def __init__(self, open_counts, me: int):
        super().__init__()
        self.open_counts, self.me = open_counts, me

    def add(self, connection):
        super().add(connection)
        self.open_counts[self.me] = len(self)

    def discard(self, connection):
        super().discard(connection)
        self.open_counts[self.me] = len(self)

    def remove(self, connection):
        super().remove(connection)
        self.open_counts[self.me] = len(self)


def _balanced_server(config, sock: socket.socket, open_counts, me: int):
    """A uvicorn server that takes its connections from `sock`, shared with the other workers, one at a
    time and only in its turn (the module's docstring)."""
    import uvicorn

    class BalancedServer(uvicorn.Server):
        def __init__(self, config):
            super().__init__(config)
            self.server_state.connections = _CountedConnections(open_counts, me)

        async def startup(self, sockets=None):
            await super().startup(sockets=[])  # the application started, no listener of uvicorn's own
            self._accepting = asyncio.create_task(self._accept())

        async def shutdown(self, sockets=None):
            if hasattr(self, "_accepting"):
                self._accepting.cancel()
            await super().shutdown(sockets=None)

        async def _my_turn(self):
            """Until no other worker has fewer connections open, or a connection has waited DEFER_MOST_S
            for them (a worker busy with a long page)."""
            loop = asyncio.get_running_loop()
            waiting_since = None
            while True:
                if open_counts[me] <= min(open_counts):
                    return
                if select.select([sock], [], [], 0)[0]:  # a connection is waiting
                    waiting_since = waiting_since or loop.time()
                    if loop.time() - waiting_since >= DEFER_MOST_S:
                        return
                else:
                    waiting_since = None
                await asyncio.sleep(DEFER_S)

        async def _accept(self):
            loop = asyncio.get_running_loop()

            def protocol():  # as uvicorn.Server.startup makes each connection's protocol
                return self.config.http_protocol_class(config=self.config, server_state=self.server_state,
                                                       app_state=self.lifespan.state)
            open_counts[me] = len(self.server_state.connections)  # accepting from now (was NOT_ACCEPTING)
            while True:
                await self._my_turn()
                connection, _address = await loop.sock_accept(sock)
                await loop.connect_accepted_socket(protocol, connection)

    sock.setblocking(False)
    return BalancedServer(config)


def _worker(args: list[str], sock: socket.socket, open_counts, me: int, parent: int) -> None:
    import uvicorn
    from datasette.cli import serve as serve_command

    _stop_with(parent)
    context = serve_command.make_context("serve", list(args[1:]))  # args[0] is the command's name
    datasette = serve_command.callback(**{**context.params, "return_instance": True})
    config = uvicorn.Config(datasette.app(), log_level="info", lifespan="on")
    _balanced_server(config, sock, open_counts, me).run()


def serve(args: list[str], sock: socket.socket, workers: int) -> int:
    """Run `workers` Datasette processes with `datasette serve` arguments `args` on the listening
    socket `sock` until stopped or until one of them stops; returns the exit code."""
    host, port = sock.getsockname()[:2]
    # Spawned, not forked: nothing of this process (an open SQLite connection above all) is carried over.
    context = multiprocessing.get_context("spawn")
    open_counts = context.Array("i", [NOT_ACCEPTING] * workers, lock=False)
    processes = [context.Process(target=_worker, args=(args, sock, open_counts, me, os.getpid()), daemon=True)
                 for me in range(workers)]
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
        sock.close()
