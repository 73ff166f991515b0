"""COM2 under Bochs: a relay between Bochs's serial socket and the grader's clients.

Bochs's `mode=socket-server` waits in accept() for its one client before the guest runs;
`mode=socket-client` connects once, when Bochs starts, to a listener that must be there
already.  So the grader listens first (a TCP port of 127.0.0.1, given to Bochs), and makes
the Unix socket path("com2") that a test's clients (host gdb, gradelib.rsp, a raw line)
connect to, as they do under QEMU.  Each client in turn gets the line until it closes;
what the guest writes while no client is connected is dropped, as QEMU does with
`wait=off`.  One thread; it ends when Bochs closes its side, or on close().
"""
import os
import select
import socket
import threading


class Relay:
    def __init__(self, path):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(1)
        self.port = self.listener.getsockname()[1]
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(path)
        self.server.listen(4)
        self.path = path
        self.closing = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        guest = client = None
        try:
            guest, _ = self.listener.accept()
            while not self.closing:
                ready, _, _ = select.select([guest, self.server] + ([client] if client else []),
                                            [], [], 0.2)
                if guest in ready:
                    data = guest.recv(4096)
                    if not data:
                        return                  # Bochs has gone
                    if client:
                        try:
                            client.sendall(data)
                        except OSError:
                            client.close()
                            client = None
                if self.server in ready:
                    new, _ = self.server.accept()
                    if client:
                        client.close()          # the newest client has the line
                    client = new
                if client and client in ready:
                    data = client.recv(4096)
                    if data:
                        guest.sendall(data)
                    else:
                        client.close()
                        client = None
        except OSError:
            return
        finally:
            for s in (guest, client):
                if s:
                    s.close()

    def close(self):
        self.closing = True
        for s in (self.listener, self.server):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()
        self.thread.join(timeout=2)
        try:
            os.unlink(self.path)
        except OSError:
            pass
